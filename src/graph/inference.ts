/**
 * Shape inference and diagnostics. One topological pass over the training graph, in which each
 * network application infers its network's body for the shape it receives; each node kind knows
 * only its local rule. The result is the single source of shapes for the editor's edge labels
 * and for the compiler.
 */
import { ShapeError, type Shape, type ShapeContext } from '../nodes/kind';
import { formatShape } from '../nodes/shapeRules';
import { parametersOf } from './costs';
import { networksNamed } from './networkReferences';
import { keyOf, planOf, type Plan } from './inferencePlan';
import { topologicalOrder } from './order';
import { formatPath, type Problem } from './problems';
import {
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

/**
 * Infers shapes over a set of nodes and edges. `seed` gives shapes to nodes with no inputs of
 * their own (a body's Input); `report` receives problems. A node wired from a node that did
 * not resolve is skipped like one whose upstream failed.
 */
function inferPass(
  { unresolvedInputs }: ResolvedBody,
  plan: Plan,
  context: (node: ResolvedNode) => ShapeContext,
  seed: (node: ResolvedNode) => Record<string, Shape> | undefined,
  report: (
    node: ResolvedNode,
    error: { code: 'missing-input' | 'shape'; message: string; port?: string; edge?: ResolvedEdge },
  ) => void,
  reportCycle: (cycle: ResolvedNode[]) => void,
): PassResult {
  const { nodes, edges, source, intoStart, intoEdges, fromStart, fromEdges } = plan;
  const result: PassResult = { nodes: new Map(), edges: new Map() };
  /** By node place, what each recorded node puts out. */
  const outputsAt: (Record<string, Shape> | undefined)[] = new Array(nodes.length);
  const unresolved = unresolvedInputs?.size ? unresolvedInputs : undefined;
  for (const cycle of plan.cycles) reportCycle(cycle);
  const record = (p: number, inputs: Record<string, Shape>, outputs: Record<string, Shape>) => {
    outputsAt[p] = outputs;
    result.nodes.set(nodes[p]!.id, { inputs, outputs });
    for (let k = fromStart[p]!; k < fromStart[p + 1]!; k++) {
      const i = fromEdges[k]!;
      const shape = outputs[edges[i]!.sourcePort];
      if (shape) result.edges.set(keyOf(plan, i), shape);
    }
  };

  for (const p of plan.order) {
    const node = nodes[p]!;
    const id = node.id;
    const inputs: Record<string, Shape> = {};
    let upstreamFailed = false;
    for (let k = intoStart[p]!; k < intoStart[p + 1]!; k++) {
      const i = intoEdges[k]!;
      const e = edges[i]!;
      const shape = outputsAt[source[i]!]?.[e.sourcePort];
      if (!shape) {
        upstreamFailed = true;
        continue;
      }
      // A multiple input (an optimizer's losses) keeps one shape: they are all scalars.
      inputs[e.targetPort] = shape;
    }
    const seeded = seed(node);
    if (seeded) {
      record(p, inputs, seeded);
      continue;
    }
    if (upstreamFailed) continue;
    let missing = false;
    for (const port of node.inputs) {
      if (unresolved?.has(`${id}.${port.name}`)) upstreamFailed = true;
      else if (!port.optional && !inputs[port.name]) missing = true;
    }
    if (upstreamFailed) continue;
    if (missing) {
      for (const port of node.inputs) {
        if (port.optional || inputs[port.name]) continue;
        report(node, {
          code: 'missing-input',
          message: `input "${port.name}" is not connected`,
          port: port.name,
        });
      }
      continue;
    }
    try {
      record(p, inputs, node.kind.inferShapes(inputs, node.params, context(node)));
    } catch (e) {
      const port = e instanceof ShapeError ? e.port : undefined;
      let edge: ResolvedEdge | undefined;
      for (let k = intoStart[p]!; port && !edge && k < intoStart[p + 1]!; k++) {
        const into = edges[intoEdges[k]!]!;
        if (into.targetPort === port) edge = into;
      }
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
    const output =
      plan.output >= 0 ? pass.nodes.get(plan.nodes[plan.output]!.id)?.inputs.in : undefined;
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
      let layers: Map<string, Shape> | undefined;
      return {
        output: shapes.output!,
        // Only an application that taps layers reads them: the others never list a long body.
        get layers() {
          if (!layers) {
            layers = new Map();
            for (const [id, node] of shapes.nodes) {
              if (node.outputs.out) layers.set(id, node.outputs.out);
            }
          }
          return layers;
        },
      };
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
    if (first) shapes.parameterCount = parametersOf(networkById.get(id)!, first);
  }
  for (const p of trainingProblems(graph)) add(p);
  return { nodes: pass.nodes, edges: pass.edges, networks, problems };
}
