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
  type NodeKind,
  type PortSpec,
  type Scope,
} from '../nodes/kind';
import { isNetworkApplication, tappableLayers } from '../nodes/networkApplication';
import { canConnect } from './connections';
import type { BodyDocument, EdgeDocument, GraphDocument, NodeDocument } from './document';
import { resolveParams, type VariableValue, type Variables } from './expression';
import { networkReferences } from './networkReferences';
import { expandPreset, isPresetName } from './presets';
import { formatPath, type Problem } from './problems';
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

/** A resolved node's params, typed by its kind's schema: paramsOf, for a node holding its kind. */
export function resolvedParams<S extends z.ZodType<Record<string, unknown>>>(
  kind: NodeKind<S>,
  node: ResolvedNode,
): z.infer<S> {
  return paramsOf(kind, { kind: node.kind.kind, params: node.params });
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

/** Text from the command line or a link, read as the type of the variable it sets. */
export function coerceVariable(current: VariableValue, text: string): VariableValue | undefined {
  if (typeof current === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (typeof current === 'boolean') {
    return text === 'true' ? true : text === 'false' ? false : undefined;
  }
  return text;
}

function resolveVariables(
  doc: GraphDocument,
  overrides: Readonly<Record<string, VariableValue | string>>,
  problems: Problem[],
): Record<string, VariableValue> {
  const values: Record<string, VariableValue> = {};
  for (const [name, v] of Object.entries(doc.variables)) values[name] = v.value;
  for (const [name, raw] of Object.entries(overrides)) {
    const declared = doc.variables[name];
    if (!declared) {
      problems.push({
        path: `variables.${name}`,
        code: 'variable',
        message: `unknown variable "${name}"; this graph has ${Object.keys(doc.variables).join(', ') || 'none'}`,
      });
      continue;
    }
    const value =
      typeof raw === 'string' && typeof declared.value !== 'string'
        ? coerceVariable(declared.value, raw)
        : raw;
    if (value === undefined || typeof value !== typeof declared.value) {
      problems.push({
        path: `variables.${name}`,
        code: 'variable',
        message: `expected a ${typeof declared.value}, received ${JSON.stringify(raw)}`,
      });
      continue;
    }
    values[name] = value;
  }
  for (const [name, v] of Object.entries(doc.variables)) {
    const value = values[name];
    if (v.options && typeof value === 'string' && !v.options.includes(value)) {
      problems.push({
        path: `variables.${name}`,
        code: 'variable',
        message: `expected one of ${v.options.map((o) => JSON.stringify(o)).join(', ')}, received ${JSON.stringify(value)}`,
      });
    }
  }
  return values;
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
  const known = kind.params instanceof z.ZodObject ? Object.keys(kind.params.shape) : undefined;
  const unknown = known ? Object.keys(resolved.value).filter((k) => !known.includes(k)) : [];
  for (const name of unknown) {
    problems.push({
      ...where,
      path: formatPath([...path, 'params', name]),
      code: 'param',
      message: `unknown param "${name}"; ${kind.kind} params: ${known!.join(', ') || 'none'}`,
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
): Problem[] {
  const layers = tappableLayers(network.body.nodes.map((n) => ({ id: n.id, kind: n.kind.kind })));
  return taps.flatMap((layer, j) =>
    layers.includes(layer)
      ? []
      : [
          {
            nodeId: node.id,
            path: formatPath([...node.path, 'params', 'taps', j]),
            code: 'param' as const,
            message: `${node.id}.taps: network "${network.id}" has no layer "${layer}" to tap; its layers: ${layers.join(', ') || 'none'}`,
          },
        ],
  );
}

/**
 * Checks edges against the ports they join; returns the edges that are sound, and the inputs
 * wired from nodes that did not resolve. `at` is the edges' array, or for a preset's generated
 * body (whose edges are not written in the document) the preset itself.
 */
function resolveEdges(
  edges: readonly EdgeDocument[],
  nodes: ReadonlyMap<string, ResolvedNode>,
  declared: ReadonlySet<string>,
  at: Path,
  problems: Problem[],
  networkId?: string,
  generated = false,
): { edges: ResolvedEdge[]; unresolvedInputs: Set<string> } {
  const sound: ResolvedEdge[] = [];
  const unresolvedInputs = new Set<string>();
  const taken = new Map<string, number>();
  const scope = networkId ? { networkId } : {};
  edges.forEach((edge, i) => {
    const path = generated ? at : [...at, i];
    const here = formatPath(path);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    for (const [end, id] of [
      ['source', edge.source],
      ['target', edge.target],
    ] as const) {
      if (!declared.has(id)) {
        problems.push({
          ...scope,
          path: formatPath([...path, end]),
          code: 'edge',
          message: `no node "${id}"`,
        });
      }
    }
    // A node that exists but failed to resolve has its own problem already.
    if (target && !source && declared.has(edge.source)) {
      unresolvedInputs.add(`${edge.target}.${edge.targetPort}`);
    }
    if (!source || !target) return;
    const out = source.outputs.find((p) => p.name === edge.sourcePort);
    const inp = target.inputs.find((p) => p.name === edge.targetPort);
    if (!out) {
      const names = source.outputs.map((p) => `"${p.name}"`).join(', ') || 'none';
      problems.push({
        ...scope,
        path: here,
        nodeId: source.id,
        code: 'edge',
        message: `no output port "${edge.sourcePort}" on node "${source.id}" (${source.kind.kind}); its outputs: ${names}`,
      });
      return;
    }
    if (!inp) {
      const names = target.inputs.map((p) => `"${p.name}"`).join(', ') || 'none';
      problems.push({
        ...scope,
        path: here,
        nodeId: target.id,
        code: 'edge',
        message: `no input port "${edge.targetPort}" on node "${target.id}" (${target.kind.kind}); its inputs: ${names}`,
      });
      return;
    }
    const verdict = canConnect(out.type, inp.type);
    if (!verdict.ok) {
      problems.push({
        ...scope,
        path: here,
        nodeId: target.id,
        port: inp.name,
        code: 'connection',
        message: `cannot connect "${source.id}.${out.name}" to "${target.id}.${inp.name}": ${verdict.reason}`,
      });
      return;
    }
    const portKey = `${edge.target}.${edge.targetPort}`;
    const first = taken.get(portKey);
    if (first !== undefined && !inp.multiple) {
      problems.push({
        ...scope,
        path: here,
        nodeId: target.id,
        port: inp.name,
        code: 'connection',
        message: `input "${inp.name}" of node "${target.id}" already has an edge (${formatPath([...at, first])})`,
      });
      return;
    }
    taken.set(portKey, i);
    sound.push({ ...edge, path });
  });
  return { edges: sound, unresolvedInputs };
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
    const path = generated ? at : [...at, 'nodes', i];
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
      const { network, taps } = resolvedParams(node.kind, node);
      const net = networkById.get(network)!;
      // A network with problems of its own may lack layers that failed to resolve.
      if (!net.unresolved) problems.push(...unknownTaps(node, taps, net));
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
