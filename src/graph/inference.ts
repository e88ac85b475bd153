/**
 * Shape inference and diagnostics. One topological pass over the training graph, in which each
 * network application infers its network's body for the shape it receives; each node kind knows
 * only its local rule. The result is the single source of shapes for the editor's edge labels
 * and for the compiler.
 */
import { ShapeError, type Shape, type ShapeContext } from '../nodes/kind';
import { formatShape } from '../nodes/shapeRules';
import { networksNamed } from './networkReferences';
import {
  edgesAtNodes,
  edgesFrom,
  edgesInto,
  orderAlong,
  topologicalOrder,
  type EdgesAtNodes,
} from './order';
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

export { topologicalOrder };

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

interface PassResult {
  nodes: Map<string, NodeShapes>;
  edges: Map<string, Shape>;
}

/** What a pass over a container reads, computed once however often the container is applied. */
interface Plan {
  byId: Map<string, ResolvedNode>;
  order: string[];
  cycles: ResolvedNode[][];
  at: EdgesAtNodes<ResolvedEdge>;
  /** The body's Output node, if it has one. */
  output?: ResolvedNode;
}

function planOf({ nodes, edges }: ResolvedBody): Plan {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const at = edgesAtNodes(edges);
  const { order, cycles } = orderAlong(
    nodes.map((n) => n.id),
    at,
  );
  return {
    byId,
    order,
    cycles: cycles.map((cycle) => cycle.map((id) => byId.get(id)!)),
    at,
    output: nodes.find((n) => n.kind.behavior === 'output'),
  };
}

/**
 * Infers shapes over a set of nodes and edges. `seed` gives shapes to nodes with no inputs of
 * their own (a body's Input); `report` receives problems. A node wired from a node that did
 * not resolve is skipped like one whose upstream failed.
 */
function inferPass(
  { unresolvedInputs }: ResolvedBody,
  { byId, order, cycles, at }: Plan,
  context: (node: ResolvedNode) => ShapeContext,
  seed: (node: ResolvedNode) => Record<string, Shape> | undefined,
  report: (
    node: ResolvedNode,
    error: { code: 'missing-input' | 'shape'; message: string; port?: string; edge?: ResolvedEdge },
  ) => void,
  reportCycle: (cycle: ResolvedNode[]) => void,
): PassResult {
  const result: PassResult = { nodes: new Map(), edges: new Map() };
  for (const cycle of cycles) reportCycle(cycle);
  const record = (id: string, inputs: Record<string, Shape>, outputs: Record<string, Shape>) => {
    result.nodes.set(id, { inputs, outputs });
    for (const e of edgesFrom(at, id)) {
      const shape = outputs[e.sourcePort];
      if (shape) result.edges.set(edgeKey(e), shape);
    }
  };

  for (const id of order) {
    const node = byId.get(id)!;
    const inputs: Record<string, Shape> = {};
    let upstreamFailed = false;
    for (const e of edgesInto(at, id)) {
      const shape = result.nodes.get(e.source)?.outputs[e.sourcePort];
      if (!shape) {
        upstreamFailed = true;
        continue;
      }
      // A multiple input (an optimizer's losses) keeps one shape: they are all scalars.
      inputs[e.targetPort] = shape;
    }
    const seeded = seed(node);
    if (seeded) {
      record(id, inputs, seeded);
      continue;
    }
    if (upstreamFailed) continue;
    let missing = false;
    for (const p of node.inputs) {
      if (unresolvedInputs?.has(`${id}.${p.name}`)) upstreamFailed = true;
      else if (!p.optional && !inputs[p.name]) missing = true;
    }
    if (upstreamFailed) continue;
    if (missing) {
      for (const p of node.inputs) {
        if (p.optional || inputs[p.name]) continue;
        report(node, {
          code: 'missing-input',
          message: `input "${p.name}" is not connected`,
          port: p.name,
        });
      }
      continue;
    }
    try {
      record(id, inputs, node.kind.inferShapes(inputs, node.params, context(node)));
    } catch (e) {
      const port = e instanceof ShapeError ? e.port : undefined;
      const edge = port ? edgesInto(at, id).find((x) => x.targetPort === port) : undefined;
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

/** What a layer may ask of the graph around it: a network cannot apply another. */
const insideNetwork: ShapeContext = {
  applyNetwork() {
    throw new ShapeError('networks cannot be nested');
  },
};

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
  const plans = new Map<ResolvedNetwork, Plan>();
  const planFor = (network: ResolvedNetwork): Plan => {
    let plan = plans.get(network);
    if (!plan) {
      plan = planOf(network.body);
      plans.set(network, plan);
    }
    return plan;
  };

  const inferBody = (network: ResolvedNetwork, input: Shape): BodyShapes => {
    const plan = planFor(network);
    const failures: string[] = [];
    const pass = inferPass(
      network.body,
      plan,
      () => insideNetwork,
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
    const output = plan.output ? pass.nodes.get(plan.output.id)?.inputs.in : undefined;
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
    planOf(graph),
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
