/**
 * Shape inference and diagnostics. One topological pass over the training graph, in which each
 * network application infers its network's body for the shape it receives; each node kind knows
 * only its local rule. The result is the single source of shapes for the editor's edge labels
 * and for the compiler.
 */
import { ShapeError, type Shape, type ShapeContext } from '../nodes/kind';
import { formatShape } from '../nodes/shapeRules';
import { networksNamed } from './networkReferences';
import { formatPath, type Problem } from './problems';
import {
  edgeKey,
  type ResolvedBody,
  type ResolvedEdge,
  type ResolvedGraph,
  type ResolvedNetwork,
  type ResolvedNode,
} from './resolve';
import { trainingProblems } from './trainingChecks';

export interface NodeShapes {
  inputs: Record<string, Shape>;
  outputs: Record<string, Shape>;
}

/** The shapes inside one network for one of its applications. */
export interface BodyShapes {
  input: Shape;
  output?: Shape;
  nodes: Map<string, NodeShapes>;
  /** Edge key -> the shape it carries. */
  edges: Map<string, Shape>;
}

export interface NetworkShapes {
  /** Application node id -> the shapes inside the network for that application. */
  applications: Map<string, BodyShapes>;
  /** Trainable weights, from the first application's shapes (undefined if never applied). */
  parameterCount?: number;
}

export interface Inference {
  nodes: Map<string, NodeShapes>;
  edges: Map<string, Shape>;
  networks: Map<string, NetworkShapes>;
  /** Errors and warnings, each pinned to its place. */
  problems: Problem[];
}

/**
 * Orders nodes so that every edge goes forward. Nodes on a cycle, and nodes downstream of one,
 * are left out; each cycle is returned as the ids around it, from the one listed first.
 */
export function topologicalOrder(
  ids: readonly string[],
  edges: readonly { source: string; target: string }[],
): { order: string[]; cycles: string[][] } {
  const indegree = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  const previous = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (!indegree.has(e.source) || !indegree.has(e.target)) continue;
    indegree.set(e.target, indegree.get(e.target)! + 1);
    next.get(e.source)!.push(e.target);
    previous.get(e.target)!.push(e.source);
  }
  const ready = ids.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const t of next.get(id)!) {
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) ready.push(t);
    }
  }
  const left = new Set(ids.filter((id) => !order.includes(id)));
  const cycles: string[][] = [];
  // Every node left has a predecessor left (or its indegree would have reached zero): walking
  // backward, a node repeats, and that stretch is a cycle. What lies downstream of it is left
  // out without being called a cycle itself.
  while (left.size) {
    const seen: string[] = [];
    let id = [...left][0]!;
    while (!seen.includes(id)) {
      seen.push(id);
      id = previous.get(id)!.find((s) => left.has(s))!;
    }
    const cycle = seen.slice(seen.indexOf(id)).reverse();
    const first = cycle.indexOf(ids.find((x) => cycle.includes(x))!);
    cycles.push([...cycle.slice(first), ...cycle.slice(0, first)]);
    const downstream = [...cycle];
    while (downstream.length) {
      const d = downstream.pop()!;
      if (!left.delete(d)) continue;
      downstream.push(...next.get(d)!);
    }
  }
  return { order, cycles };
}

interface PassResult {
  nodes: Map<string, NodeShapes>;
  edges: Map<string, Shape>;
}

/**
 * Infers shapes over a set of nodes and edges. `seed` gives shapes to nodes with no inputs of
 * their own (a body's Input); `report` receives problems. A node wired from a node that did
 * not resolve is skipped like one whose upstream failed.
 */
function inferPass(
  { nodes, edges, unresolvedInputs }: ResolvedBody,
  context: (node: ResolvedNode) => ShapeContext,
  seed: (node: ResolvedNode) => Record<string, Shape> | undefined,
  report: (
    node: ResolvedNode,
    error: { code: 'missing-input' | 'shape'; message: string; port?: string; edge?: ResolvedEdge },
  ) => void,
  reportCycle: (cycle: ResolvedNode[]) => void,
): PassResult {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const result: PassResult = { nodes: new Map(), edges: new Map() };
  const { order, cycles } = topologicalOrder(
    nodes.map((n) => n.id),
    edges,
  );
  for (const cycle of cycles) reportCycle(cycle.map((id) => byId.get(id)!));
  const incoming = new Map<string, ResolvedEdge[]>();
  for (const e of edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);

  for (const id of order) {
    const node = byId.get(id)!;
    const inputs: Record<string, Shape> = {};
    let upstreamFailed = false;
    for (const e of incoming.get(id) ?? []) {
      const shape = result.nodes.get(e.source)?.outputs[e.sourcePort];
      if (!shape) {
        upstreamFailed = true;
        continue;
      }
      // A multiple input (an optimizer's losses) keeps one shape: they are all scalars.
      inputs[e.targetPort] = shape;
    }
    const record = (outputs: Record<string, Shape>) => {
      result.nodes.set(id, { inputs, outputs });
      for (const e of edges) {
        const shape = e.source === id ? outputs[e.sourcePort] : undefined;
        if (shape) result.edges.set(edgeKey(e), shape);
      }
    };
    const seeded = seed(node);
    if (seeded) {
      record(seeded);
      continue;
    }
    const missing = node.inputs.filter((p) => !p.optional && !inputs[p.name]);
    if (upstreamFailed || node.inputs.some((p) => unresolvedInputs?.has(`${id}.${p.name}`))) {
      continue;
    }
    if (missing.length > 0) {
      for (const p of missing) {
        report(node, {
          code: 'missing-input',
          message: `input "${p.name}" is not connected`,
          port: p.name,
        });
      }
      continue;
    }
    try {
      record(node.kind.inferShapes(inputs, node.params, context(node)));
    } catch (e) {
      const port = e instanceof ShapeError ? e.port : undefined;
      const edge = port ? incoming.get(id)?.find((x) => x.targetPort === port) : undefined;
      report(node, {
        code: 'shape',
        message: e instanceof Error ? e.message : String(e),
        ...(port ? { port } : {}),
        ...(edge ? { edge } : {}),
      });
    }
  }
  return result;
}

function countParameters(network: ResolvedNetwork, shapes: BodyShapes): number {
  let total = 0;
  for (const node of network.body.nodes) {
    const inputs = shapes.nodes.get(node.id)?.inputs;
    if (!inputs || !node.kind.weights) continue;
    for (const v of node.kind.weights(inputs, node.params)) {
      if (v.trainable) total += v.shape.reduce((a, b) => a * b, 1);
    }
  }
  return total;
}

export function inferShapes(graph: ResolvedGraph): Inference {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (p: Problem) => {
    const key = `${p.path}|${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(p);
    }
  };
  const networks = new Map<string, NetworkShapes>(
    graph.networks.map((n) => [n.id, { applications: new Map() }]),
  );
  const networkById = new Map(graph.networks.map((n) => [n.id, n]));

  const inferBody = (network: ResolvedNetwork, input: Shape): BodyShapes => {
    const body: ResolvedBody = network.body;
    const failures: string[] = [];
    const pass = inferPass(
      body,
      () => ({
        applyNetwork: () => {
          throw new ShapeError('networks cannot be nested');
        },
      }),
      (node) => (node.kind.behavior === 'input' ? { out: input } : undefined),
      (node, error) => {
        failures.push(`layer "${node.id}": ${error.message}`);
        add({
          path: formatPath(error.edge?.path ?? node.path),
          networkId: network.id,
          nodeId: node.id,
          ...(error.port ? { port: error.port } : {}),
          code: error.code,
          message: `${network.id}.${node.id}: ${error.message} (applied to ${formatShape(input)})`,
        });
      },
      (cycle) =>
        add({
          path: formatPath(cycle[0]!.path),
          networkId: network.id,
          nodeId: cycle[0]!.id,
          code: 'cycle',
          message: `data cycle: ${[...cycle, cycle[0]!].map((n) => n.id).join(' → ')}`,
        }),
    );
    const outputNode = body.nodes.find((n) => n.kind.behavior === 'output');
    const output = outputNode ? pass.nodes.get(outputNode.id)?.inputs.in : undefined;
    if (failures.length > 0) {
      throw new ShapeError(
        `network "${network.id}" cannot take ${formatShape(input)}: ${failures[0]}`,
        'in',
      );
    }
    if (!output) throw new ShapeError(`network "${network.id}" produces no output`, 'in');
    return { input, output, nodes: pass.nodes, edges: pass.edges };
  };

  const context = (application: ResolvedNode): ShapeContext => ({
    applyNetwork(networkId, input) {
      const network = networkById.get(networkId);
      if (!network) throw new ShapeError(`no network "${networkId}"`);
      const shapes = inferBody(network, input);
      networks.get(networkId)!.applications.set(application.id, shapes);
      const layers = new Map<string, Shape>();
      for (const [id, node] of shapes.nodes) if (node.outputs.out) layers.set(id, node.outputs.out);
      return { output: shapes.output!, layers };
    },
  });

  const pass = inferPass(
    graph,
    context,
    () => undefined,
    (node, error) => {
      // A node naming a network that has problems of its own: those are reported already.
      const named = networksNamed(node.kind, node.params).map((id) => networkById.get(id));
      if (named.some((network) => network?.unresolved)) return;
      add({
        path: formatPath(error.edge?.path ?? node.path),
        nodeId: node.id,
        ...(error.port ? { port: error.port } : {}),
        code: error.code,
        message: `${node.id}${error.port ? `.${error.port}` : ''}: ${error.message}`,
      });
    },
    (cycle) =>
      add({
        path: formatPath(cycle[0]!.path),
        nodeId: cycle[0]!.id,
        code: 'cycle',
        message: `data cycle: ${[...cycle, cycle[0]!].map((n) => n.id).join(' → ')}`,
      }),
  );
  for (const [id, shapes] of networks) {
    const first = shapes.applications.values().next().value;
    if (first) shapes.parameterCount = countParameters(networkById.get(id)!, first);
  }
  for (const p of trainingProblems(graph)) add(p);
  return { nodes: pass.nodes, edges: pass.edges, networks, problems };
}
