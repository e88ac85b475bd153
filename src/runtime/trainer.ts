/**
 * Runs a TrainingProgram with tfjs: it owns what training learns and keeps (the networks'
 * weights, the optimizers' slots, the image pools, the state of training-graph nodes, the
 * random stream) and composes the parts that use them: the interpreter evaluates the graph's
 * nodes, the schedule runs the optimizers' updates, the trainer state saves and loads.
 *
 * The same code runs in the browser's worker and in Node (tests, CLI, benchmarks).
 */
import { findNodeKind } from '../nodes';
import { paramsOf, type TF, type Tensor, type Variable, type WeightSpec } from '../nodes/kind';
import { ImagePoolNode } from '../nodes/ImagePool';
import { ApplicationCalls } from './applicationCalls';
import { createRandom, restoreRandom, type Random } from './data/random';
import { readHostTensor, type HostTensor } from './hostTensor';
import { ImagePool } from './imagePool';
import { disposeValues, Interpreter, type BatchSource, type Values } from './interpreter';
import { applyNetwork, type NetworkCall, type NetworkOutputs } from './networks';
import { Optimizer } from './optimizers';
import { weightName, type ProgramOptimizer, type TrainingProgram } from './program';
import { runUpdates, type ScheduleParts } from './schedule';
import { loadState, saveState, type TrainerState } from './trainerState';

export type { BatchSource } from './interpreter';
export type { HostTensor } from './hostTensor';
export type { NetworkCall, NetworkOutputs } from './networks';
export type { TrainerState } from './trainerState';

export interface StepResult {
  step: number;
  /**
   * Every term an optimizer reports, by name, as weighted in its sum; a term weighted 0 is
   * never computed and reads 0.
   */
  losses: Record<string, number>;
  stepMs: number;
  /** With `record`: every node output (`fake_B.out`) and gradient by weight name; caller disposes. */
  recorded?: { outputs: Map<string, Tensor>; gradients: Map<string, Tensor> };
}

export interface TrainerOptions {
  seed?: number;
  source: BatchSource;
}

export class Trainer {
  readonly weights = new Map<string, Variable>();
  readonly weightSpecs = new Map<string, WeightSpec>();
  readonly optimizers: Optimizer[] = [];
  readonly pools = new Map<string, ImagePool>();
  /** State of training-graph nodes across steps (BEGAN's k_t): node id -> name -> variable. */
  readonly nodeState = new Map<string, Record<string, Variable>>();
  random: Random;
  /** Steps completed. */
  completedSteps = 0;
  /** tfjs names every variable uniquely and keys gradients by those names: ours, mapped back. */
  private readonly weightByVariable = new Map<string, string>();
  private readonly calls = new ApplicationCalls(() => this.random);
  private readonly schedule: ScheduleParts;
  /** The last step's values of the tensors wired to Preview nodes, by Preview node id. */
  private previews = new Map<string, Tensor>();

  constructor(
    readonly tf: TF,
    readonly program: TrainingProgram,
    options: TrainerOptions,
  ) {
    this.random = createRandom(options.seed ?? 0);
    // A start that fails part way (an allocation the backend refuses) leaves no tensor behind.
    try {
      this.createWeights();
      this.optimizers = program.optimizers.map(
        (spec) => new Optimizer(tf, spec, this.optimizedWeights(spec)),
      );
      for (const node of program.nodes) {
        if (node.behavior === 'pool') {
          this.pools.set(node.id, new ImagePool(tf, paramsOf(ImagePoolNode, node).size));
        }
      }
      this.createNodeState();
    } catch (error) {
      this.dispose();
      throw error;
    }
    const interpreter = new Interpreter({
      tf,
      program,
      source: options.source,
      random: () => this.random,
      pools: this.pools,
      nodeState: this.nodeState,
      calls: this.calls,
      applyNetwork: (id, input, training, taps, call) =>
        this.runNetworkTaps(id, input, training, taps, call),
    });
    this.schedule = {
      tf,
      nodes: new Map(program.nodes.map((n) => [n.id, n])),
      optimizers: this.optimizers,
      interpreter,
      calls: this.calls,
      weightNameOf: (variable) => this.weightByVariable.get(variable)!,
    };
  }

  private createWeights(): void {
    const tf = this.tf;
    for (const net of this.program.networks) {
      for (const layer of net.layers) {
        for (const spec of layer.weights) {
          const name = weightName(net.id, layer.id, spec.name);
          const init =
            spec.init === 'normal'
              ? tf.randomNormal(spec.shape, 0, 0.02, 'float32', this.random.int(2 ** 31))
              : spec.init === 'ones'
                ? tf.ones(spec.shape)
                : tf.zeros(spec.shape);
          try {
            const variable = tf.variable(init, spec.trainable);
            this.weightSpecs.set(name, spec);
            this.weights.set(name, variable);
            this.weightByVariable.set(variable.name, name);
          } finally {
            init.dispose();
          }
        }
      }
    }
  }

  /** The trainable weights of an optimizer's networks. */
  private optimizedWeights(spec: ProgramOptimizer): Map<string, Variable> {
    const prefixes = spec.networks.map((n) => `${n}.`);
    return new Map(
      [...this.weights].filter(
        ([name, v]) => v.trainable && prefixes.some((p) => name.startsWith(p)),
      ),
    );
  }

  /** State of training-graph nodes that lasts across steps (BEGAN's k_t), by node id then name. */
  private createNodeState(): void {
    for (const node of this.program.nodes) {
      const specs = findNodeKind(node.kind)?.weights?.({}, node.params) ?? [];
      if (specs.length === 0) continue;
      // Held from the first variable on, so that a failed start disposes what was made.
      const state: Record<string, Variable> = {};
      this.nodeState.set(node.id, state);
      for (const spec of specs) {
        const init = spec.init === 'ones' ? this.tf.ones(spec.shape) : this.tf.zeros(spec.shape);
        try {
          state[spec.name] = this.tf.variable(init, false);
        } finally {
          init.dispose();
        }
      }
    }
  }

  /** Applies a network to an input; intermediate tensors are the caller's to tidy. */
  runNetwork(
    id: string,
    input: Tensor,
    training: boolean,
    call: NetworkCall = this.calls.fresh(),
  ): Tensor {
    return this.runNetworkTaps(id, input, training, [], call).out;
  }

  /**
   * Applies a network to an input, also giving the outputs of the layers named in `taps` (what
   * an application's tap ports carry). Intermediate tensors are the caller's to tidy.
   */
  runNetworkTaps(
    id: string,
    input: Tensor,
    training: boolean,
    taps: readonly string[],
    call: NetworkCall = this.calls.fresh(),
  ): NetworkOutputs {
    const net = this.program.networks.find((n) => n.id === id);
    if (!net) throw new Error(`no network "${id}" in this program`);
    return applyNetwork(this.tf, net, this.weights, input, training, taps, call);
  }

  /** One training step: every optimizer in order, each as many updates as it asks for. */
  async step(options: { record?: boolean } = {}): Promise<StepResult> {
    const tf = this.tf;
    const started = performance.now();
    const values: Values = new Map();
    const recorded = options.record
      ? { outputs: new Map<string, Tensor>(), gradients: new Map<string, Tensor>() }
      : undefined;
    try {
      const losses = await runUpdates(
        this.schedule,
        values,
        this.completedSteps,
        recorded?.gradients,
      );
      this.keepPreviews(values);
      if (recorded) {
        for (const [id, outputs] of values) {
          for (const [port, t] of Object.entries(outputs)) {
            recorded.outputs.set(`${id}.${port}`, tf.clone(t));
          }
        }
      }
      this.completedSteps++;
      return {
        step: this.completedSteps,
        losses,
        stepMs: performance.now() - started,
        ...(recorded ? { recorded } : {}),
      };
    } finally {
      disposeValues(values);
    }
  }

  private keepPreviews(values: Values): void {
    for (const t of this.previews.values()) t.dispose();
    this.previews.clear();
    for (const node of this.program.nodes) {
      if (node.behavior !== 'preview') continue;
      const ref = node.inputs.in?.[0];
      const t = ref ? values.get(ref.node)?.[ref.port] : undefined;
      if (t) this.previews.set(node.id, this.tf.clone(t));
    }
  }

  dispose(): void {
    for (const v of this.weights.values()) v.dispose();
    for (const o of this.optimizers) o.dispose();
    for (const p of this.pools.values()) p.dispose();
    for (const state of this.nodeState.values()) for (const v of Object.values(state)) v.dispose();
    for (const t of this.previews.values()) t.dispose();
    this.weights.clear();
  }

  /** The last step's images at each Preview node, read back from the backend. */
  async previewImages(): Promise<Map<string, HostTensor>> {
    const out = new Map<string, HostTensor>();
    for (const [id, t] of this.previews) out.set(id, await readHostTensor(t));
    return out;
  }

  /** Everything training depends on, read back from the backend: what a checkpoint holds. */
  saveState(): Promise<TrainerState> {
    return saveState(this, this.completedSteps, this.random.state());
  }

  /**
   * Continues from a saved state: the next step is exactly the one that would have followed.
   * Throws, changing nothing, when the state belongs to a different program.
   */
  loadState(state: TrainerState): void {
    loadState(this.tf, this, state);
    this.completedSteps = state.step;
    this.random = restoreRandom(state.random);
  }
}
