/**
 * What a copy holds, so that nodes paste into another document, in another tab as well (the
 * editor puts it on the system clipboard as JSON text): the nodes and the edges among them, with
 * what they need that the other document may lack: the definitions of the networks their
 * applications apply, and the graph variables their "=expression" params read (and those
 * networks' params).
 *
 * Pasting never changes what the target already has. A network of the same id and the same
 * definition is the same network (the pasted applications share its weights, as copies do within
 * one document); a different network of that id stays, and the pasted one comes in under a fresh
 * id. A variable the target has keeps its value.
 */
import { z } from 'zod';
import {
  idProblems,
  jsonValue,
  EdgeDocument,
  NetworkDocument,
  NodeDocument,
  VariableDocument,
  VariableName,
  type GraphDocument,
} from './document';
import { containerOf, copyNodes, pasteNodes, type XY } from './edits';
import { expressionVariables, ExpressionError, isExpression } from './expression';
import { networksNamedBy, renameNetworksNamedBy } from './networkReferences';
import type { Problem } from './problems';
import { problemsFromZodError } from './zodProblems';

export const CLIPBOARD_FORMAT = 'ganvas-clipboard';
export const CLIPBOARD_VERSION = 1;

export const ClipboardPayload = z
  .object({
    format: z.literal(CLIPBOARD_FORMAT),
    version: z.literal(CLIPBOARD_VERSION),
    nodes: z.array(NodeDocument),
    edges: z.array(EdgeDocument),
    /** The networks the copied nodes apply, and only those. */
    networks: z.array(NetworkDocument),
    /** The graph variables the copied params and those networks read, with their values. */
    variables: z.record(VariableName, VariableDocument),
  })
  .strict();

export type ClipboardPayload = z.infer<typeof ClipboardPayload>;

export type ClipboardParseResult =
  { ok: true; payload: ClipboardPayload } | { ok: false; problems: Problem[] };

export type ClipboardPasteResult =
  | {
      ok: true;
      document: GraphDocument;
      ids: string[];
      /** The networks added to the document, under the ids they have there. */
      networks: string[];
      /** The variables added to the document. */
      variables: string[];
    }
  | { ok: false; reason: string };

/** The variables the expressions anywhere inside a value read; a broken expression reads none. */
function variableReferences(value: unknown, found: Set<string>): Set<string> {
  if (isExpression(value)) {
    try {
      for (const name of expressionVariables(value)) found.add(name);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
    }
  } else if (Array.isArray(value)) {
    for (const v of value) variableReferences(v, found);
  } else if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) variableReferences(v, found);
  }
  return found;
}

/** The variables read by these nodes' params and these networks' preset params and layers. */
function variablesRead(nodes: readonly NodeDocument[], networks: readonly NetworkDocument[]) {
  const found = new Set<string>();
  for (const node of nodes) variableReferences(node.params, found);
  for (const network of networks) {
    variableReferences(network.preset?.params, found);
    for (const layer of network.body?.nodes ?? []) variableReferences(layer.params, found);
  }
  return found;
}

/**
 * Copies the nodes with these ids (of the training graph, or of a network's body) with the
 * edges among them, the networks the copied nodes name and the variables they all read.
 */
export function copyToClipboard(
  doc: GraphDocument,
  ids: readonly string[],
  networkId?: string,
): ClipboardPayload {
  const { nodes, edges } = copyNodes(doc, ids, networkId);
  const named = new Set(nodes.flatMap(networksNamedBy));
  const networks = doc.networks.filter((n) => named.has(n.id));
  const read = variablesRead(nodes, networks);
  return {
    format: CLIPBOARD_FORMAT,
    version: CLIPBOARD_VERSION,
    nodes,
    edges,
    networks,
    variables: Object.fromEntries(Object.entries(doc.variables).filter(([k]) => read.has(k))),
  };
}

export function serializeClipboard(payload: ClipboardPayload): string {
  return JSON.stringify(payload);
}

/** Reads a payload from JSON text or a parsed value; every problem comes with its JSON path. */
export function parseClipboard(input: unknown): ClipboardParseResult {
  const json = jsonValue(input);
  if (!json.ok) return json;
  const parsed = ClipboardPayload.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, problems: problemsFromZodError(parsed.error, json.value, 'schema') };
  }
  const payload = parsed.data;
  const problems = idProblems(payload);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, payload };
}

/** A value with its object keys sorted, so that equal definitions serialize alike. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Same role and same layers (preset and params, or body): label and colour are looks. */
function sameDefinition(a: NetworkDocument, b: NetworkDocument): boolean {
  const definition = (n: NetworkDocument) =>
    JSON.stringify(canonical({ role: n.role, preset: n.preset, body: n.body }));
  return definition(a) === definition(b);
}

function freshNetworkId(taken: ReadonlySet<string>, base: string): string {
  let i = 2;
  while (taken.has(`${base}_${i}`)) i++;
  return `${base}_${i}`;
}

/** A label that starts with the network's id ("D_A (B→?)") names the new id instead. */
function relabel(label: string | undefined, from: string, to: string): { label?: string } {
  if (label === undefined) return {};
  return label === from || label.startsWith(`${from} `)
    ? { label: to + label.slice(from.length) }
    : { label };
}

/**
 * Pastes a payload into a container of a document (see pasteNodes: fresh node ids, moved by
 * `offset`; inside a network's body only layers paste), adding the networks the pasted nodes
 * apply and the variables they read that the document lacks.
 */
export function pasteClipboard(
  doc: GraphDocument,
  payload: ClipboardPayload,
  networkId?: string,
  offset?: XY,
): ClipboardPasteResult {
  const taken = new Set([...doc.networks, ...payload.networks].map((n) => n.id));
  const renamed = new Map<string, string>();
  const incoming = payload.networks.flatMap((network) => {
    const existing = doc.networks.find((n) => n.id === network.id);
    if (!existing) return [network];
    if (sameDefinition(existing, network)) return [];
    const id = freshNetworkId(taken, network.id);
    taken.add(id);
    renamed.set(network.id, id);
    return [{ ...network, id, ...relabel(network.label, network.id, id) }];
  });
  const pasted = pasteNodes(
    doc,
    {
      nodes: payload.nodes.map((n) => renameNetworksNamedBy(n, (id) => renamed.get(id) ?? id)),
      edges: payload.edges,
    },
    networkId,
    offset,
  );
  if (!pasted.ok) return pasted;

  const ids = new Set(pasted.ids);
  const nodes = containerOf(pasted.document, networkId).nodes.filter((n) => ids.has(n.id));
  const named = new Set(nodes.flatMap(networksNamedBy));
  const networks = incoming.filter((n) => named.has(n.id));
  const applied = [...networks, ...doc.networks.filter((n) => named.has(n.id))];
  const read = variablesRead(nodes, applied);
  const variables = Object.entries(payload.variables).filter(
    ([name]) => read.has(name) && !Object.hasOwn(doc.variables, name),
  );
  return {
    ok: true,
    ids: pasted.ids,
    networks: networks.map((n) => n.id),
    variables: variables.map(([name]) => name),
    document: {
      ...pasted.document,
      networks: [...pasted.document.networks, ...networks],
      variables: { ...pasted.document.variables, ...Object.fromEntries(variables) },
    },
  };
}
