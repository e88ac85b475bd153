/**
 * The training program: a plain, serializable description of what one training step does,
 * compiled from a validated graph. It holds only what a step needs (no positions, labels or
 * variables), names node kinds by string so it crosses a worker boundary, and is what the
 * trainer runs.
 */
import type { NetworkRole, Shape, WeightSpec } from '../nodes/kind';
import type { OptimizerParams } from '../nodes/Optimizer';

/** Where an input comes from: a node's output port. */
export interface PortRef {
  node: string;
  port: string;
}

export interface ProgramLayer {
  id: string;
  kind: string;
  params: Record<string, unknown>;
  inputs: Record<string, PortRef>;
  /** Weights, named inside the layer (`weight`, `conv_block.1.bias`). */
  weights: WeightSpec[];
}

export interface ProgramNetwork {
  id: string;
  role: NetworkRole;
  /** Layers in an order where every input is computed first; the first is the Input. */
  layers: ProgramLayer[];
  input: string;
  output: PortRef;
}

export interface ProgramNode {
  id: string;
  kind: string;
  behavior: string;
  params: Record<string, unknown>;
  /** Input port -> sources; several only for a `multiple` port (an optimizer's losses). */
  inputs: Record<string, PortRef[]>;
  outputShapes: Record<string, Shape>;
}

export interface ProgramOptimizer extends OptimizerParams {
  id: string;
  /** Ids of the loss nodes whose sum it minimizes. */
  losses: string[];
}

export interface TrainingProgram {
  networks: ProgramNetwork[];
  /** Training-graph nodes in an order where every input is computed first. */
  nodes: ProgramNode[];
  /** Loss term names (their node ids), in document order: the columns of the log. */
  losses: string[];
  /** In update order. */
  optimizers: ProgramOptimizer[];
}

/** The full name of a weight, as the reference's state_dict names it: `G_A.model.1.weight`. */
export function weightName(network: string, layer: string, local: string): string {
  return `${network}.${layer}.${local}`;
}

/** The nodes that apply a network in the training graph, in program order. */
export function applicationsOf(program: TrainingProgram, networkId: string): ProgramNode[] {
  return program.nodes.filter((n) => n.behavior === 'network' && n.params.network === networkId);
}

/** The shape a network is applied to (batch first), from what feeds its first application. */
export function networkInputShape(program: TrainingProgram, networkId: string): Shape | undefined {
  const from = applicationsOf(program, networkId)[0]?.inputs.in?.[0];
  return from && program.nodes.find((n) => n.id === from.node)?.outputShapes[from.port];
}
