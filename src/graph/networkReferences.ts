/**
 * Which networks a node names, read from its kind's declaration (`networkParams`): the network an
 * application applies, the critic a gradient penalty differentiates, the networks an optimizer
 * updates. Checks, copy and paste and the editor read them here instead of knowing param names.
 */
import { findNodeKind } from '../nodes';
import type { AnyNodeKind } from '../nodes/kind';
import type { GraphDocument, NodeDocument } from './document';

type Params = Readonly<Record<string, unknown>> | undefined;

/** One network named by a param; `index` is its place in a param that lists networks. */
export interface NetworkReference {
  param: string;
  index?: number;
  network: string;
}

/**
 * Every network the params name, param by param. Params as written may hold anything: what is
 * not an id names no network here (the kind's schema reports it).
 */
export function networkReferences(
  kind: AnyNodeKind | undefined,
  params: Params,
): NetworkReference[] {
  return (kind?.networkParams ?? []).flatMap((param): NetworkReference[] => {
    const value = params?.[param];
    if (typeof value === 'string') return [{ param, network: value }];
    if (!Array.isArray(value)) return [];
    return value.flatMap((network: unknown, index) =>
      typeof network === 'string' ? [{ param, index, network }] : [],
    );
  });
}

/** The ids of the networks the params name. */
export function networksNamed(kind: AnyNodeKind | undefined, params: Params): string[] {
  return networkReferences(kind, params).map((r) => r.network);
}

/** The ids of the networks a document's node names. */
export function networksNamedBy(node: NodeDocument): string[] {
  return networksNamed(findNodeKind(node.kind), node.params);
}

/** The node with the networks it names renamed (`rename` returns the id itself to keep it). */
export function renameNetworksNamedBy(
  node: NodeDocument,
  rename: (network: string) => string,
): NodeDocument {
  const declared = findNodeKind(node.kind)?.networkParams ?? [];
  const params = node.params;
  if (!params || !declared.some((param) => param in params)) return node;
  const renamed: Record<string, unknown> = { ...params };
  for (const param of declared) {
    const value = params[param];
    if (typeof value === 'string') renamed[param] = rename(value);
    else if (Array.isArray(value)) {
      renamed[param] = value.map((v: unknown) => (typeof v === 'string' ? rename(v) : v));
    }
  }
  return { ...node, params: renamed };
}

/** Whether a node applies a network (a Generator or Discriminator node), and which. */
export function appliedNetwork(node: NodeDocument): string | undefined {
  const kind = findNodeKind(node.kind);
  return kind?.behavior === 'network' ? networksNamed(kind, node.params)[0] : undefined;
}

/** The nodes of the training graph that apply a network: they share its weights. */
export function applicationsOf(doc: GraphDocument, networkId: string): NodeDocument[] {
  return doc.nodes.filter((n) => appliedNetwork(n) === networkId);
}
