/**
 * compileGraph: a validated graph and its shapes -> a TrainingProgram. It refuses a graph with
 * errors (returning them), so the trainer only ever sees a sound program.
 */
import type { DeviceLimits } from '../graph/budget';
import type { VariableValue } from '../graph/expression';
import { checkGraph } from '../graph/check';
import { topologicalOrder, type Inference } from '../graph/inference';
import { isError, type Problem } from '../graph/problems';
import type { ResolvedGraph } from '../graph/resolve';
import { paramsOf } from '../nodes/kind';
import { OptimizerNode } from '../nodes/Optimizer';
import type {
  PortRef,
  ProgramLayer,
  ProgramNetwork,
  ProgramNode,
  TrainingProgram,
} from './program';

export type CompileResult =
  | { ok: true; program: TrainingProgram; graph: ResolvedGraph; inference: Inference }
  | { ok: false; problems: Problem[] };

function ordered<T extends { id: string }>(
  items: readonly T[],
  edges: readonly { source: string; target: string }[],
): T[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  return topologicalOrder(
    items.map((i) => i.id),
    edges,
  ).order.map((id) => byId.get(id)!);
}

export function compileResolved(graph: ResolvedGraph, inference: Inference): CompileResult {
  const errors = inference.problems.filter(isError);
  if (errors.length > 0) return { ok: false, problems: errors };

  const networks: ProgramNetwork[] = graph.networks.flatMap((net) => {
    const shapes = inference.networks.get(net.id)?.applications.values().next().value;
    // A network never applied has no shapes and takes no part in training.
    if (!shapes) return [];
    const layers: ProgramLayer[] = ordered(net.body.nodes, net.body.edges).map((node) => {
      const inputs: Record<string, PortRef> = {};
      for (const e of net.body.edges) {
        if (e.target === node.id) inputs[e.targetPort] = { node: e.source, port: e.sourcePort };
      }
      const inputShapes = shapes.nodes.get(node.id)!.inputs;
      return {
        id: node.id,
        kind: node.kind.kind,
        params: node.params,
        inputs,
        weights: node.kind.weights?.(inputShapes, node.params) ?? [],
      };
    });
    const input = net.body.nodes.find((n) => n.kind.behavior === 'input')!.id;
    const outputId = net.body.nodes.find((n) => n.kind.behavior === 'output')!.id;
    const output = layers.find((l) => l.id === outputId)!.inputs.in!;
    return [{ id: net.id, role: net.role, layers, input, output }];
  });

  const nodes: ProgramNode[] = ordered(graph.nodes, graph.edges).map((node) => {
    const inputs: Record<string, PortRef[]> = {};
    for (const e of graph.edges) {
      if (e.target === node.id) {
        (inputs[e.targetPort] ??= []).push({ node: e.source, port: e.sourcePort });
      }
    }
    return {
      id: node.id,
      kind: node.kind.kind,
      behavior: node.kind.behavior,
      params: node.params,
      inputs,
      outputShapes: inference.nodes.get(node.id)?.outputs ?? {},
    };
  });

  const weightedZero = new Set(
    nodes.filter((n) => n.behavior === 'loss' && n.params.weight === 0).map((n) => n.id),
  );
  const optimizers = nodes
    .filter((n) => n.behavior === 'optimizer')
    .map((n) => {
      const losses = (n.inputs.loss ?? []).map((r) => r.node);
      return {
        ...paramsOf(OptimizerNode, n),
        id: n.id,
        losses,
        summed: losses.filter((id) => !weightedZero.has(id)),
      };
    })
    .sort((a, b) => a.order - b.order);

  const losses = graph.nodes.filter((n) => n.kind.behavior === 'loss').map((n) => n.id);
  return {
    ok: true,
    program: { networks, nodes, losses, optimizers },
    graph,
    inference,
  };
}

/**
 * Checks and compiles a document: JSON text, a parsed value, or a GraphDocument. Whatever its
 * form, it is parsed as a document first (a GraphDocument parses to itself), so nothing reaches
 * the checks without passing the document's schema, caps and id rule. A graph that would not fit
 * `limits` (by default WebGPU's and the default memory budget) is refused.
 */
export function compileGraph(
  input: unknown,
  overrides: Readonly<Record<string, VariableValue | string>> = {},
  limits?: DeviceLimits,
): CompileResult {
  const checked = checkGraph(input, overrides, limits);
  if (!checked.valid || !checked.graph || !checked.inference) {
    return { ok: false, problems: checked.problems.filter(isError) };
  }
  return compileResolved(checked.graph, checked.inference);
}
