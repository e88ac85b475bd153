/**
 * From a parsed document to a resolved graph: variables applied (with overrides such as the
 * command line's --set), every param checked by its node kind's schema, networks built from their
 * presets, every edge checked against the ports it joins. Every problem comes back with its place.
 */
import { z } from 'zod';
import { findNodeKind, nodeKindNames } from '../nodes';
import {
  paramsOf,
  type AnyNodeKind,
  type NetworkRole,
  type PortSpec,
  type Scope,
} from '../nodes/kind';
import { isNetworkApplication, tappableLayers } from '../nodes/networkApplication';
import type { BodyDocument, EdgeDocument, GraphDocument, NodeDocument } from './document';
import { resolveEdges } from './edgeChecks';
import { resolveParams, type VariableValue, type Variables } from './expression';
import { networkReferences } from './networkReferences';
import { expandPreset, isPresetName } from './presets';
import { formatPath, type Problem } from './problems';
import { resolveVariables } from './variables';
import { problemsFromZodError } from './zodProblems';

type Path = (string | number)[];

export interface ResolvedNode {
  id: string;
  kind: AnyNodeKind;
  params: Record<string, unknown>;
  inputs: PortSpec[];
  outputs: PortSpec[];
  /** Where the node is written in the document. */
  path: Path;
}

export interface ResolvedEdge extends EdgeDocument {
  path: Path;
}

export interface ResolvedBody {
  nodes: ResolvedNode[];
  edges: ResolvedEdge[];
  /**
   * Inputs ("node.port") wired from a node that did not resolve: that node has its problem
   * already, so inference leaves these alone instead of calling them unconnected.
   */
  unresolvedInputs?: ReadonlySet<string>;
}

export interface ResolvedNetwork {
  id: string;
  role: NetworkRole;
  label?: string;
  color?: string;
  preset?: string;
  body: ResolvedBody;
  path: Path;
  /** Its preset or a layer has a problem: applications of it are not reported again. */
  unresolved?: boolean;
}

export interface ResolvedGraph {
  variables: Variables;
  networks: ResolvedNetwork[];
  nodes: ResolvedNode[];
  edges: ResolvedEdge[];
  /** As in ResolvedBody. */
  unresolvedInputs?: ReadonlySet<string>;
}

export type VariableOverrides = Readonly<Record<string, VariableValue>>;

export function edgeKey(e: EdgeDocument): string {
  return `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`;
}

function resolveNode(
  node: NodeDocument,
  path: Path,
  scope: Scope,
  variables: Variables,
  problems: Problem[],
  context: { networkId?: string },
): ResolvedNode | undefined {
  const where = { nodeId: node.id, ...(context.networkId ? { networkId: context.networkId } : {}) };
  const kind = findNodeKind(node.kind);
  if (!kind) {
    problems.push({
      ...where,
      path: formatPath([...path, 'kind']),
      code: 'unknown-kind',
      message: `unknown node kind "${node.kind}"; known kinds: ${nodeKindNames().join(', ')}`,
    });
    return undefined;
  }
  if (!kind.scopes.includes(scope)) {
    problems.push({
      ...where,
      path: formatPath([...path, 'kind']),
      code: 'misplaced-node',
      message:
        scope === 'network'
          ? `a ${kind.kind} node belongs in the training graph, not inside a network`
          : `a ${kind.kind} layer belongs inside a network, not in the training graph`,
    });
    return undefined;
  }
  const resolved = resolveParams(node.params ?? {}, variables);
  for (const e of resolved.errors) {
    problems.push({
      ...where,
      path: formatPath([...path, 'params', ...e.path]),
      code: 'expression',
      message: e.message,
    });
  }
  if (resolved.errors.length > 0) return undefined;
  // The kinds' schemas strip unknown keys: a misspelt param would be dropped without a word.
  const known: object | undefined =
    kind.params instanceof z.ZodObject ? kind.params.shape : undefined;
  const unknown = known ? Object.keys(resolved.value).filter((k) => !Object.hasOwn(known, k)) : [];
  for (const name of unknown) {
    problems.push({
      ...where,
      path: formatPath([...path, 'params', name]),
      code: 'param',
      message: `unknown param "${name}"; ${kind.kind} params: ${Object.keys(known!).join(', ') || 'none'}`,
    });
  }
  if (unknown.length > 0) return undefined;
  const parsed = kind.params.safeParse(resolved.value);
  if (!parsed.success) {
    problems.push(
      ...problemsFromZodError(parsed.error, resolved.value, 'param', [...path, 'params']).map(
        (p) => ({ ...p, ...where }),
      ),
    );
    return undefined;
  }
  const params = parsed.data as Record<string, unknown>;
  return {
    id: node.id,
    kind,
    params,
    inputs: kind.inputs(params),
    outputs: kind.outputs(params),
    path,
  };
}

/** A network application's taps that name no layer of its network, each at its place. */
function unknownTaps(
  node: ResolvedNode,
  taps: readonly string[],
  network: ResolvedNetwork,
  layers: ReadonlySet<string>,
): Problem[] {
  return taps.flatMap((layer, j) =>
    layers.has(layer)
      ? []
      : [
          {
            nodeId: node.id,
            path: formatPath([...node.path, 'params', 'taps', j]),
            code: 'param' as const,
            message: `${node.id}.taps: network "${network.id}" has no layer "${layer}" to tap; its layers: ${[...layers].join(', ') || 'none'}`,
          },
        ],
  );
}

function resolveBody(
  body: BodyDocument,
  at: Path,
  variables: Variables,
  problems: Problem[],
  networkId: string,
  generated: boolean,
): ResolvedBody {
  const nodes = new Map<string, ResolvedNode>();
  // Layers of a preset are not written in the document: their problems point at the preset.
  body.nodes.forEach((node, i) => {
    const path = generated ? at : at.concat('nodes', i);
    const r = resolveNode(node, path, 'network', variables, problems, { networkId });
    if (r) nodes.set(r.id, r);
  });
  const declared = new Set(body.nodes.map((n) => n.id));
  const { edges, unresolvedInputs } = resolveEdges(
    body.edges,
    nodes,
    declared,
    generated ? at : [...at, 'edges'],
    problems,
    networkId,
    generated,
  );
  for (const boundary of ['Input', 'Output']) {
    const count = body.nodes.filter((n) => n.kind === boundary).length;
    if (count !== 1) {
      problems.push({
        networkId,
        path: formatPath(generated ? at : [...at, 'nodes']),
        code: 'network',
        message: `a network body has exactly one ${boundary} node, this one has ${count}`,
      });
    }
  }
  return { nodes: [...nodes.values()], edges, unresolvedInputs };
}

/**
 * Every param that names a network names one of the graph, of the role the kind applies. A node
 * that fails this is left out like a node that did not resolve, so that what it feeds is not
 * reported again; one that feeds nothing (an optimizer) stays, or its losses would read as
 * minimized by nothing. The taps of the applications left are checked against their network.
 */
function networkProblems(
  nodes: Map<string, ResolvedNode>,
  networkById: ReadonlyMap<string, ResolvedNetwork>,
): Problem[] {
  const problems: Problem[] = [];
  const known = [...networkById.keys()].join(', ') || 'none';
  // Each network's layers are listed once, however many applications tap it.
  const tappable = new Map<ResolvedNetwork, ReadonlySet<string>>();
  const layersOf = (network: ResolvedNetwork) => {
    let layers = tappable.get(network);
    if (!layers) {
      layers = new Set(
        tappableLayers(network.body.nodes.map((n) => ({ id: n.id, kind: n.kind.kind }))),
      );
      tappable.set(network, layers);
    }
    return layers;
  };
  for (const node of nodes.values()) {
    const expected = node.kind.appliesRole;
    let sound = true;
    for (const { param, index, network } of networkReferences(node.kind, node.params)) {
      const net = networkById.get(network);
      const at = {
        nodeId: node.id,
        path: formatPath([...node.path, 'params', param, ...(index === undefined ? [] : [index])]),
        code: 'network' as const,
      };
      if (!net) {
        problems.push({ ...at, message: `no network "${network}"; networks: ${known}` });
        sound = false;
      } else if (expected && net.role !== expected) {
        problems.push({
          ...at,
          message: `"${network}" is a ${net.role}; a ${node.kind.kind} node applies a ${expected}`,
        });
        sound = false;
      }
    }
    if (!sound && node.outputs.length > 0) {
      nodes.delete(node.id);
    } else if (isNetworkApplication(node.kind)) {
      const { network, taps } = paramsOf(node.kind, node);
      const net = networkById.get(network)!;
      // A network with problems of its own may lack layers that failed to resolve.
      if (!net.unresolved && taps.length > 0) {
        problems.push(...unknownTaps(node, taps, net, layersOf(net)));
      }
    }
  }
  return problems;
}

export interface ResolveResult {
  graph: ResolvedGraph;
  /** Empty when the graph resolved completely. */
  problems: Problem[];
}

export function resolveGraph(
  doc: GraphDocument,
  overrides: Readonly<Record<string, VariableValue | string>> = {},
): ResolveResult {
  const problems: Problem[] = [];
  const variables = resolveVariables(doc, overrides, problems);

  const networks = doc.networks.map((net, i) => {
    const path: Path = ['networks', i];
    const problemsBefore = problems.length;
    let body: BodyDocument | undefined;
    let generated = false;
    if (net.preset) {
      const presetPath = [...path, 'preset'];
      const resolved = resolveParams(net.preset.params ?? {}, variables);
      for (const e of resolved.errors) {
        problems.push({
          networkId: net.id,
          path: formatPath([...presetPath, 'params', ...e.path]),
          code: 'expression',
          message: e.message,
        });
      }
      const expanded = resolved.errors.length
        ? undefined
        : expandPreset(net.preset.name, resolved.value);
      if (expanded && !expanded.ok) {
        for (const e of expanded.problems) {
          problems.push({
            networkId: net.id,
            path: formatPath([...presetPath, ...e.path]),
            code: isPresetName(net.preset.name) ? 'param' : 'unknown-kind',
            message: e.message,
          });
        }
      } else if (expanded) {
        body = expanded.body;
        generated = true;
      }
    } else if (net.body) {
      body = net.body;
    }
    // A preset that did not expand has no body to check: its problems are reported already.
    const resolvedBody = body
      ? resolveBody(
          body,
          generated ? [...path, 'preset'] : [...path, 'body'],
          variables,
          problems,
          net.id,
          generated,
        )
      : { nodes: [], edges: [] };
    const resolved: ResolvedNetwork = {
      id: net.id,
      role: net.role,
      body: resolvedBody,
      path,
      ...(problems.length > problemsBefore ? { unresolved: true } : {}),
      ...(net.label !== undefined ? { label: net.label } : {}),
      ...(net.color !== undefined ? { color: net.color } : {}),
      ...(net.preset ? { preset: net.preset.name } : {}),
    };
    return resolved;
  });
  const networkById = new Map(networks.map((n) => [n.id, n]));

  const nodes = new Map<string, ResolvedNode>();
  doc.nodes.forEach((node, i) => {
    const r = resolveNode(node, ['nodes', i], 'graph', variables, problems, {});
    if (r) nodes.set(r.id, r);
  });

  problems.push(...networkProblems(nodes, networkById));

  const { edges, unresolvedInputs } = resolveEdges(
    doc.edges,
    nodes,
    new Set(doc.nodes.map((n) => n.id)),
    ['edges'],
    problems,
  );
  return {
    graph: { variables, networks, nodes: [...nodes.values()], edges, unresolvedInputs },
    problems,
  };
}

export type { VariableValue };
