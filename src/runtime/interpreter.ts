/**
 * Evaluates the training graph's nodes for one step. A node's value is computed once and reused:
 * the generators' fakes computed during the generator update are what the discriminators then
 * judge, as constants (detached), exactly as the reference does.
 */
import { findNodeKind } from '../nodes';
import { paramsOf, type ApplyContext, type TF, type Tensor, type Variable } from '../nodes/kind';
import { DiscriminatorNode, GeneratorNode } from '../nodes/networkApplication';
import type { ApplicationCalls } from './applicationCalls';
import type { Random } from './data/random';
import { toTensor, type HostTensor } from './hostTensor';
import type { ImagePool } from './imagePool';
import type { NetworkCall, NetworkOutputs } from './networks';
import type { ProgramNode, TrainingProgram } from './program';

/** Supplies the data-source nodes (Dataset, Noise) with a batch each time they are drawn. */
export interface BatchSource {
  next(node: ProgramNode, random: Random): Record<string, HostTensor>;
}

/** This step's values so far: node id -> output port -> tensor (kept, disposed by the step). */
export type Values = Map<string, Record<string, Tensor>>;

/** What evaluating the graph reads and writes: the trainer's parts, shared with it. */
export interface InterpreterParts {
  tf: TF;
  program: TrainingProgram;
  source: BatchSource;
  /** The trainer's random stream, which loading a state replaces. */
  random(): Random;
  pools: ReadonlyMap<string, ImagePool>;
  nodeState: ReadonlyMap<string, Record<string, Variable>>;
  calls: ApplicationCalls;
  applyNetwork(
    id: string,
    input: Tensor,
    training: boolean,
    taps: readonly string[],
    call: NetworkCall,
  ): NetworkOutputs;
}

/** The network a Generator or Discriminator node applies, and the layers it taps. */
function applicationOf(node: ProgramNode): { network: string; taps: string[] } {
  return paramsOf(node.kind === GeneratorNode.kind ? GeneratorNode : DiscriminatorNode, node);
}

export class Interpreter {
  private readonly nodes: Map<string, ProgramNode>;

  constructor(private readonly parts: InterpreterParts) {
    this.nodes = new Map(parts.program.nodes.map((n) => [n.id, n]));
  }

  /** Computes a node's outputs, reusing what this step already computed. */
  evaluate(id: string, values: Values): Record<string, Tensor> {
    const known = values.get(id);
    if (known) return known;
    const { tf, calls } = this.parts;
    const node = this.nodes.get(id)!;
    const input = (port: string) => {
      const ref = node.inputs[port]?.[0];
      return ref ? this.evaluate(ref.node, values)[ref.port] : undefined;
    };
    let outputs: Record<string, Tensor>;
    switch (node.behavior) {
      case 'dataset':
      case 'noise': {
        const batch = this.parts.source.next(node, this.parts.random());
        outputs = Object.fromEntries(
          Object.entries(batch).map(([port, t]) => [port, toTensor(tf, t)]),
        );
        break;
      }
      case 'network': {
        const { network, taps } = applicationOf(node);
        const applied = this.parts.applyNetwork(
          network,
          input('in')!,
          true,
          taps,
          calls.of(id, network),
        );
        outputs = { ...applied.taps, out: applied.out };
        break;
      }
      case 'pool':
        outputs = { out: this.parts.pools.get(id)!.query(input('in')!, this.parts.random()) };
        break;
      case 'layer':
      case 'loss': {
        const kind = findNodeKind(node.kind)!;
        const inputs: Record<string, Tensor> = {};
        for (const port of Object.keys(node.inputs)) inputs[port] = input(port)!;
        const state = this.parts.nodeState.get(id) ?? {};
        outputs = kind.apply!(tf, inputs, state, node.params, this.graphApplyContext(id));
        break;
      }
      default:
        throw new Error(`node "${id}" (${node.kind}) computes nothing a loss could need`);
    }
    for (const t of Object.values(outputs)) tf.keep(t);
    values.set(id, outputs);
    return outputs;
  }

  /** What a training-graph node computes with: its own state, and the networks (for penalties). */
  private graphApplyContext(id: string): ApplyContext {
    return {
      training: true,
      seed: () => this.parts.random().int(2 ** 31),
      updateState: (name, value) => this.parts.nodeState.get(id)![name]!.assign(value),
      applyNetwork: (network, input) =>
        this.parts.applyNetwork(network, input, true, [], this.parts.calls.fresh()).out,
    };
  }
}

export function disposeValues(values: Values): void {
  for (const outputs of values.values()) for (const t of Object.values(outputs)) t.dispose();
  values.clear();
}
