/**
 * Edits of a graph document. Every change the editor makes is one of these pure functions: each
 * takes a document and returns a new one, leaving the old one untouched, so that undo is a list
 * of documents and every edit can be tested in Node.
 *
 * Node edits act on one container of nodes and edges: the training graph (no network id) or the
 * body of one network. A network built from a preset has no written body; editing its layers
 * first writes the preset out as explicit layers (materializeNetworkBody), whose params are then
 * plain values.
 */
import { findNodeKind } from '../nodes';
import type { NetworkRole, PortSpec, Scope } from '../nodes/kind';
import { canConnect } from './connections';
import {
  idFrom,
  ID_PATTERN,
  ID_RULE,
  type BodyDocument,
  type EdgeDocument,
  type GraphDocument,
  type NetworkDocument,
  type NodeDocument,
  type VariableDocument,
} from './document';
import { resolveParams, type VariableValue, type Variables } from './expression';
import { applicationsOf } from './networkReferences';
import { expandPreset, PRESETS, type PresetName } from './presets';
import { edgeKey } from './resolve';

export type EditResult = { ok: true; document: GraphDocument } | { ok: false; reason: string };

export interface XY {
  x: number;
  y: number;
}

/** Nodes and the edges between them: the training graph, or a network's body. */
export interface Container {
  nodes: NodeDocument[];
  edges: EdgeDocument[];
}

/** Nodes copied out of a container, with the edges among them. */
export interface Clipboard {
  nodes: NodeDocument[];
  edges: EdgeDocument[];
}

export function variableValues(doc: GraphDocument): Variables {
  return Object.fromEntries(Object.entries(doc.variables).map(([k, v]) => [k, v.value]));
}

export function findNetwork(doc: GraphDocument, networkId: string): NetworkDocument | undefined {
  return doc.networks.find((n) => n.id === networkId);
}

/** The layers a preset network stands for, with its params resolved; undefined if it fails. */
export function presetBody(doc: GraphDocument, networkId: string): BodyDocument | undefined {
  const preset = findNetwork(doc, networkId)?.preset;
  if (!preset) return undefined;
  const params = resolveParams(preset.params ?? {}, variableValues(doc));
  if (params.errors.length > 0) return undefined;
  const expanded = expandPreset(preset.name, params.value);
  return expanded.ok ? expanded.body : undefined;
}

/** The nodes and edges of the training graph, or of a network's body (a preset's expanded). */
export function containerOf(doc: GraphDocument, networkId?: string): Container {
  if (networkId === undefined) return { nodes: doc.nodes, edges: doc.edges };
  const network = findNetwork(doc, networkId);
  if (!network) return { nodes: [], edges: [] };
  return network.body ?? presetBody(doc, networkId) ?? { nodes: [], edges: [] };
}

/**
 * Writes a preset network out as explicit layers, which can then be edited one by one. Its
 * params become the values the graph variables give them now. `positions` places the layers
 * (the editor passes its layout); otherwise they keep the preset's column.
 */
export function materializeNetworkBody(
  doc: GraphDocument,
  networkId: string,
  positions: Readonly<Record<string, XY>> = {},
): GraphDocument {
  const network = findNetwork(doc, networkId);
  if (!network || network.body) return doc;
  const body = presetBody(doc, networkId) ?? { nodes: [], edges: [] };
  const placed: BodyDocument = {
    nodes: body.nodes.map((n) => (positions[n.id] ? { ...n, position: positions[n.id] } : n)),
    edges: body.edges,
  };
  return replaceNetwork(doc, networkId, (n) => {
    const { preset: _preset, ...rest } = n;
    return { ...rest, body: placed };
  });
}

function replaceNetwork(
  doc: GraphDocument,
  networkId: string,
  change: (n: NetworkDocument) => NetworkDocument,
): GraphDocument {
  return { ...doc, networks: doc.networks.map((n) => (n.id === networkId ? change(n) : n)) };
}

/** Applies a change to one container, materializing a preset body first. */
function editContainer(
  doc: GraphDocument,
  networkId: string | undefined,
  change: (c: Container) => Container,
): GraphDocument {
  if (networkId === undefined) {
    const next = change({ nodes: doc.nodes, edges: doc.edges });
    return { ...doc, nodes: next.nodes, edges: next.edges };
  }
  if (!findNetwork(doc, networkId)) return doc;
  const materialized = materializeNetworkBody(doc, networkId);
  return replaceNetwork(materialized, networkId, (n) => ({ ...n, body: change(n.body!) }));
}

function scopeOf(networkId: string | undefined): Scope {
  return networkId === undefined ? 'graph' : 'network';
}

/** An id not yet used in the container: `base`, else `base_2`, `base_3`, ... */
export function freshNodeId(container: Container, base: string): string {
  const taken = new Set(container.nodes.map((n) => n.id));
  const clean = idFrom(base);
  if (!taken.has(clean)) return clean;
  const stem = clean.replace(/_\d+$/, '');
  for (let i = 2; ; i++) {
    if (!taken.has(`${stem}_${i}`)) return `${stem}_${i}`;
  }
}

/**
 * The ports of a node as its params make them (a Loss's ports follow its type). Params that do
 * not resolve or fit the schema fall back to the ports the raw params give, so that a node
 * with a mistake in it can still be drawn and wired.
 */
export function nodePorts(
  node: NodeDocument,
  variables: Variables,
): { inputs: PortSpec[]; outputs: PortSpec[] } {
  const kind = findNodeKind(node.kind);
  if (!kind) return { inputs: [], outputs: [] };
  const resolved = resolveParams(node.params ?? {}, variables).value;
  const parsed = kind.params.safeParse(resolved);
  const params = parsed.success ? parsed.data : resolved;
  try {
    return { inputs: kind.inputs(params), outputs: kind.outputs(params) };
  } catch {
    return { inputs: [], outputs: [] };
  }
}

export function addNode(doc: GraphDocument, node: NodeDocument, networkId?: string): GraphDocument {
  return editContainer(doc, networkId, (c) => ({ ...c, nodes: [...c.nodes, node] }));
}

/** Removes nodes and every edge that touches them. */
export function removeNodes(
  doc: GraphDocument,
  ids: readonly string[],
  networkId?: string,
): GraphDocument {
  const gone = new Set(ids);
  return editContainer(doc, networkId, (c) => ({
    nodes: c.nodes.filter((n) => !gone.has(n.id)),
    edges: c.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
  }));
}

export function moveNodes(
  doc: GraphDocument,
  positions: Readonly<Record<string, XY>>,
  networkId?: string,
): GraphDocument {
  return editContainer(doc, networkId, (c) => ({
    ...c,
    nodes: c.nodes.map((n) =>
      positions[n.id] ? { ...n, position: { x: positions[n.id]!.x, y: positions[n.id]!.y } } : n,
    ),
  }));
}

/** Whether `target` can already reach `source` along edges (a new edge would close a cycle). */
function pathBetween(edges: readonly EdgeDocument[], from: string, to: string): string[] | null {
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (id === to) {
      const path = [to];
      while (path[0] !== from) path.unshift(previous.get(path[0]!)!);
      return path;
    }
    for (const e of edges) {
      if (e.source === id && !previous.has(e.target)) {
        previous.set(e.target, id);
        queue.push(e.target);
      }
    }
  }
  return null;
}

/** May the edge be added; `replaces` is the edge it takes a single input from, if any. */
export type ConnectionCheck = { ok: true; replaces?: EdgeDocument } | { ok: false; reason: string };

/**
 * Whether an edge may be added, and if not, why. The same rule as resolveGraph's (canConnect),
 * plus what only matters while editing: existing ports, no cycle. Wiring into an input that
 * takes one edge and has one replaces it, as node editors do: rewiring a loss is one drag.
 */
export function checkConnection(
  doc: GraphDocument,
  edge: EdgeDocument,
  networkId?: string,
): ConnectionCheck {
  const container = containerOf(doc, networkId);
  const source = container.nodes.find((n) => n.id === edge.source);
  const target = container.nodes.find((n) => n.id === edge.target);
  if (!source) return { ok: false, reason: `no node "${edge.source}"` };
  if (!target) return { ok: false, reason: `no node "${edge.target}"` };
  if (source.id === target.id) return { ok: false, reason: 'a node cannot feed itself' };
  const variables = variableValues(doc);
  const out = nodePorts(source, variables).outputs.find((p) => p.name === edge.sourcePort);
  const inputs = nodePorts(target, variables).inputs;
  const inp = inputs.find((p) => p.name === edge.targetPort);
  if (!out) return { ok: false, reason: `"${source.id}" has no output "${edge.sourcePort}"` };
  if (!inp) {
    const names = inputs.map((p) => `"${p.name}"`).join(', ') || 'none';
    return {
      ok: false,
      reason: `"${target.id}" has no input "${edge.targetPort}"; its inputs: ${names}`,
    };
  }
  const verdict = canConnect(out.type, inp.type);
  if (!verdict.ok) {
    return {
      ok: false,
      reason: `${source.id}.${out.name} → ${target.id}.${inp.name}: ${verdict.reason}`,
    };
  }
  if (container.edges.some((e) => edgeKey(e) === edgeKey(edge))) {
    return { ok: false, reason: `${source.id}.${out.name} is already wired to ${target.id}` };
  }
  const cycle = pathBetween(container.edges, target.id, source.id);
  if (cycle) {
    return {
      ok: false,
      reason: `this edge would close a cycle: ${[...cycle, target.id].join(' → ')}`,
    };
  }
  const replaced = inp.multiple
    ? undefined
    : container.edges.find((e) => e.target === target.id && e.targetPort === inp.name);
  return replaced ? { ok: true, replaces: replaced } : { ok: true };
}

/** Adds an edge, replacing the one a single input had; `replaced` says which, for the user. */
export function connect(
  doc: GraphDocument,
  edge: EdgeDocument,
  networkId?: string,
): EditResult & { replaced?: EdgeDocument } {
  const verdict = checkConnection(doc, edge, networkId);
  if (!verdict.ok) return verdict;
  const plain: EdgeDocument = {
    source: edge.source,
    sourcePort: edge.sourcePort,
    target: edge.target,
    targetPort: edge.targetPort,
  };
  const replaced = verdict.replaces;
  const kept = (e: EdgeDocument) => !replaced || edgeKey(e) !== edgeKey(replaced);
  return {
    ok: true,
    document: editContainer(doc, networkId, (c) => ({
      ...c,
      edges: [...c.edges.filter(kept), plain],
    })),
    ...(replaced ? { replaced } : {}),
  };
}

/** Removes edges, named by their keys (resolve's edgeKey). */
export function disconnect(
  doc: GraphDocument,
  keys: readonly string[],
  networkId?: string,
): GraphDocument {
  const gone = new Set(keys);
  return editContainer(doc, networkId, (c) => ({
    ...c,
    edges: c.edges.filter((e) => !gone.has(edgeKey(e))),
  }));
}

function changeNode(
  doc: GraphDocument,
  nodeId: string,
  networkId: string | undefined,
  change: (n: NodeDocument) => NodeDocument,
): GraphDocument {
  return editContainer(doc, networkId, (c) => ({
    ...c,
    nodes: c.nodes.map((n) => (n.id === nodeId ? change(n) : n)),
  }));
}

/** Sets a param as written (a value or an "=expression"); undefined goes back to the default. */
export function setParam(
  doc: GraphDocument,
  nodeId: string,
  name: string,
  value: unknown,
  networkId?: string,
): GraphDocument {
  return changeNode(doc, nodeId, networkId, (n) => {
    const { [name]: _old, ...rest } = n.params ?? {};
    const params = value === undefined ? rest : { ...rest, [name]: value };
    const { params: _params, ...node } = n;
    return Object.keys(params).length > 0 ? { ...node, params } : node;
  });
}

export function setNodeLabel(
  doc: GraphDocument,
  nodeId: string,
  label: string | undefined,
  networkId?: string,
): GraphDocument {
  return changeNode(doc, nodeId, networkId, (n) => {
    const { label: _label, ...rest } = n;
    return label ? { ...rest, label } : rest;
  });
}

/** Gives a node a new id, and its edges with it. */
export function renameNode(
  doc: GraphDocument,
  nodeId: string,
  newId: string,
  networkId?: string,
): EditResult {
  if (newId === nodeId) return { ok: true, document: doc };
  if (!ID_PATTERN.test(newId)) {
    return {
      ok: false,
      reason: `"${newId}" is not an id: ${ID_RULE}`,
    };
  }
  if (containerOf(doc, networkId).nodes.some((n) => n.id === newId)) {
    return { ok: false, reason: `there is already a node "${newId}"` };
  }
  const rename = (id: string) => (id === nodeId ? newId : id);
  const renamed = editContainer(doc, networkId, (c) => ({
    nodes: c.nodes.map((n) => (n.id === nodeId ? { ...n, id: newId } : n)),
    edges: c.edges.map((e) => ({ ...e, source: rename(e.source), target: rename(e.target) })),
  }));
  return {
    ok: true,
    document: networkId === undefined ? renamed : renameTaps(renamed, networkId, nodeId, newId),
  };
}

/** A layer renamed: the applications of its network that tap it follow, and their edges. */
function renameTaps(
  doc: GraphDocument,
  networkId: string,
  from: string,
  to: string,
): GraphDocument {
  const tapping = new Set(
    applicationsOf(doc, networkId)
      .filter((n) => Array.isArray(n.params?.taps) && n.params.taps.includes(from))
      .map((n) => n.id),
  );
  if (tapping.size === 0) return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) =>
      tapping.has(n.id)
        ? {
            ...n,
            params: {
              ...n.params,
              taps: (n.params!.taps as unknown[]).map((t) => (t === from ? to : t)),
            },
          }
        : n,
    ),
    edges: doc.edges.map((e) =>
      tapping.has(e.source) && e.sourcePort === from ? { ...e, sourcePort: to } : e,
    ),
  };
}

/** Sets a graph variable's value, declaring it if it is new. */
export function setVariable(
  doc: GraphDocument,
  name: string,
  value: VariableValue,
  description?: string,
): GraphDocument {
  const old: VariableDocument | undefined = doc.variables[name];
  const next: VariableDocument = { ...old, value };
  if (description !== undefined) next.description = description;
  return { ...doc, variables: { ...doc.variables, [name]: next } };
}

export function removeVariable(doc: GraphDocument, name: string): GraphDocument {
  const { [name]: _gone, ...variables } = doc.variables;
  return { ...doc, variables };
}

export function setDocumentInfo(
  doc: GraphDocument,
  info: { name?: string; description?: string },
): GraphDocument {
  return { ...doc, ...info };
}

/** Builds a network from a preset (replacing its written layers, if it had them). */
export function setNetworkPreset(
  doc: GraphDocument,
  networkId: string,
  name: PresetName,
  params: Readonly<Record<string, unknown>> = {},
): GraphDocument {
  return replaceNetwork(doc, networkId, (n) => {
    const { body: _body, preset: _preset, ...rest } = n;
    return {
      ...rest,
      preset: Object.keys(params).length > 0 ? { name, params: { ...params } } : { name },
    };
  });
}

/** Sets one param of a network's preset; undefined goes back to the preset's default. */
export function setPresetParam(
  doc: GraphDocument,
  networkId: string,
  name: string,
  value: unknown,
): GraphDocument {
  const network = findNetwork(doc, networkId);
  if (!network?.preset) return doc;
  const { [name]: _old, ...rest } = network.preset.params ?? {};
  const params = value === undefined ? rest : { ...rest, [name]: value };
  return setNetworkPreset(doc, networkId, network.preset.name as PresetName, params);
}

export function setNetworkInfo(
  doc: GraphDocument,
  networkId: string,
  info: { label?: string; color?: string },
): GraphDocument {
  return replaceNetwork(doc, networkId, (n) => ({ ...n, ...info }));
}

const NETWORK_COLOURS = ['#2f7ed8', '#8e44ad', '#e67e22', '#16a085', '#c0392b', '#2c3e50'];

/** Adds a network built from the role's first preset; returns the document and the new id. */
export function addNetwork(
  doc: GraphDocument,
  role: NetworkRole,
): { document: GraphDocument; networkId: string } {
  const stem = role === 'generator' ? 'G' : 'D';
  const taken = new Set(doc.networks.map((n) => n.id));
  let i = 1;
  while (taken.has(`${stem}_${i}`)) i++;
  const networkId = `${stem}_${i}`;
  const preset = (Object.keys(PRESETS) as PresetName[]).find((p) => PRESETS[p].role === role)!;
  const network: NetworkDocument = {
    id: networkId,
    role,
    label: networkId,
    color: NETWORK_COLOURS[doc.networks.length % NETWORK_COLOURS.length]!,
    preset: { name: preset },
  };
  return { document: { ...doc, networks: [...doc.networks, network] }, networkId };
}

/** The nodes with these ids and the edges among them. */
export function copyNodes(
  doc: GraphDocument,
  ids: readonly string[],
  networkId?: string,
): Clipboard {
  const wanted = new Set(ids);
  const container = containerOf(doc, networkId);
  return {
    nodes: container.nodes.filter((n) => wanted.has(n.id)),
    edges: container.edges.filter((e) => wanted.has(e.source) && wanted.has(e.target)),
  };
}

/**
 * Adds copies of nodes under fresh ids, moved by `offset`, with the edges among them. Copies of
 * network applications apply the same network: they share its weights. Kinds that do not
 * belong in the container (a layer in the training graph) are left out.
 */
export function pasteNodes(
  doc: GraphDocument,
  clipboard: Clipboard,
  networkId?: string,
  offset: XY = { x: 40, y: 40 },
): { ok: true; document: GraphDocument; ids: string[] } | { ok: false; reason: string } {
  const scope = scopeOf(networkId);
  const fits = clipboard.nodes.filter((n) => findNodeKind(n.kind)?.scopes.includes(scope));
  if (fits.length === 0) {
    return {
      ok: false,
      reason:
        scope === 'graph'
          ? 'layers belong inside a network: open one to paste them'
          : 'only layers can be pasted inside a network',
    };
  }
  const working: Container = { ...containerOf(doc, networkId) };
  const ids = new Map<string, string>();
  const nodes = fits.map((n) => {
    const id = freshNodeId(working, n.id);
    ids.set(n.id, id);
    const copy: NodeDocument = { ...structuredClone(n), id };
    if (n.position) copy.position = { x: n.position.x + offset.x, y: n.position.y + offset.y };
    working.nodes = [...working.nodes, copy];
    return copy;
  });
  const edges = clipboard.edges
    .filter((e) => ids.has(e.source) && ids.has(e.target))
    .map((e) => ({ ...e, source: ids.get(e.source)!, target: ids.get(e.target)! }));
  return {
    ok: true,
    ids: [...ids.values()],
    document: editContainer(doc, networkId, (c) => ({
      nodes: [...c.nodes, ...nodes],
      edges: [...c.edges, ...edges],
    })),
  };
}

export function duplicateNodes(
  doc: GraphDocument,
  ids: readonly string[],
  networkId?: string,
): { ok: true; document: GraphDocument; ids: string[] } | { ok: false; reason: string } {
  return pasteNodes(doc, copyNodes(doc, ids, networkId), networkId);
}

/**
 * The document with these values written into its variables: a run's overrides, a quick start,
 * a checkpoint's training values. A name the document lacks, or a value of another type than
 * the variable's, is left out.
 */
export function withVariableValues(
  doc: GraphDocument,
  values: Readonly<Record<string, unknown>>,
): GraphDocument {
  const variables = { ...doc.variables };
  for (const [name, value] of Object.entries(values)) {
    const variable = variables[name];
    if (variable && typeof value === typeof variable.value) {
      variables[name] = { ...variable, value: value as typeof variable.value };
    }
  }
  return { ...doc, variables };
}
