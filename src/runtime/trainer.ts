/**
 * Runs a TrainingProgram with tfjs. One step walks the optimizers in order; each minimizes the
 * sum of its losses over its own networks' weights only. A node's value is computed once per step
 * and reused: the generators' fakes computed during the generator update are what the
 * discriminators then judge, as constants (detached), exactly as the reference does.
 *
 * The same code runs in the browser's worker and in Node (tests, CLI, benchmarks).
 */
import type { Scalar } from '@tensorflow/tfjs';
import { findNodeKind } from '../nodes';
import type { ApplyContext, TF, Tensor, Variable, WeightSpec } from '../nodes/kind';
import { tappableLayers } from '../nodes/networkApplication';
import { createRandom, restoreRandom, type Random } from './data/random';
import { ImagePool } from './imagePool';
import { Optimizer } from './optimizers';
import {
  weightName,
  type ProgramNetwork,
  type ProgramNode,
  type ProgramOptimizer,
  type TrainingProgram,
} from './program';

export interface HostTensor {
  data: Float32Array;
  shape: number[];
}

/** Supplies the data-source nodes (Dataset, Noise) with a batch each time they are drawn. */
export interface BatchSource {
  next(node: ProgramNode, random: Random): Record<string, HostTensor>;
}

export interface StepResult {
  step: number;
  /** Every loss term by name, as weighted in its optimizer's sum. */
  losses: Record<string, number>;
  stepMs: number;
  /** With `record`: every node output (`fake_B.out`) and gradient by weight name; caller disposes. */
  recorded?: { outputs: Map<string, Tensor>; gradients: Map<string, Tensor> };
}

export interface TrainerOptions {
  seed?: number;
  source: BatchSource;
}

let trainerCount = 0;

type Values = Map<string, Record<string, Tensor>>;

/** What applying a network gives: its output, and the outputs of the layers it was asked for. */
export interface NetworkOutputs {
  out: Tensor;
  /** Layer id -> its output. */
  taps: Record<string, Tensor>;
}

/** How one application of a network draws its random numbers, and whether it updates state. */
export interface NetworkCall {
  seed(): number;
  updatesState: boolean;
}

export class Trainer {
  readonly weights = new Map<string, Variable>();
  readonly weightSpecs = new Map<string, WeightSpec>();
  readonly optimizers: Optimizer[];
  readonly pools = new Map<string, ImagePool>();
  /** State of training-graph nodes across steps (BEGAN's k_t): node id -> name -> variable. */
  readonly nodeState = new Map<string, Record<string, Variable>>();
  random: Random;
  /** Steps completed. */
  completedSteps = 0;
  /** tfjs names variables globally: ours get a per-trainer prefix, mapped back here. */
  private readonly weightByTfName = new Map<string, string>();
  private readonly nodes: Map<string, ProgramNode>;
  private readonly networks: Map<string, ProgramNetwork>;
  /** The last step's values of the tensors wired to Preview nodes, by Preview node id. */
  private previews = new Map<string, Tensor>();
  /** Updates applied to each network so far, to tell a replayed application from a new call. */
  private readonly networkVersions = new Map<string, number>();
  /** This step's first computation of each network application node: see `callOf`. */
  private readonly applications = new Map<string, { version: number; seeds: number[] }>();

  constructor(
    readonly tf: TF,
    readonly program: TrainingProgram,
    private readonly options: TrainerOptions,
  ) {
    this.random = createRandom(options.seed ?? 0);
    this.nodes = new Map(program.nodes.map((n) => [n.id, n]));
    this.networks = new Map(program.networks.map((n) => [n.id, n]));
    for (const net of program.networks) {
      for (const layer of net.layers) {
        for (const spec of layer.weights) {
          const name = weightName(net.id, layer.id, spec.name);
          const init =
            spec.init === 'normal'
              ? tf.randomNormal(spec.shape, 0, 0.02, 'float32', this.random.int(2 ** 31))
              : spec.init === 'ones'
                ? tf.ones(spec.shape)
                : tf.zeros(spec.shape);
          this.weightSpecs.set(name, spec);
          const tfName = `ganvas${++trainerCount}/${name}`;
          this.weightByTfName.set(tfName, name);
          this.weights.set(name, tf.variable(init, spec.trainable, tfName));
          init.dispose();
        }
      }
    }
    this.optimizers = program.optimizers.map(
      (spec) => new Optimizer(tf, spec, this.optimizedWeights(spec)),
    );
    for (const node of program.nodes) {
      if (node.behavior === 'pool') {
        this.pools.set(node.id, new ImagePool(tf, node.params.size as number));
      }
    }
    this.createNodeState();
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

  private applyContext(
    training: boolean,
    net: string,
    layer: string,
    call: NetworkCall,
  ): ApplyContext {
    return {
      training,
      seed: call.seed,
      updateState: (name, value) => {
        if (call.updatesState) this.weights.get(weightName(net, layer, name))!.assign(value);
      },
    };
  }

  /** Applies a network to an input; intermediate tensors are the caller's to tidy. */
  runNetwork(
    id: string,
    input: Tensor,
    training: boolean,
    call: NetworkCall = this.freshCall(),
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
    call: NetworkCall = this.freshCall(),
  ): NetworkOutputs {
    const net = this.networks.get(id);
    if (!net) throw new Error(`no network "${id}" in this program`);
    if (taps.length > 0) {
      const tappable = tappableLayers(net.layers);
      const unknown = taps.find((layer) => !tappable.includes(layer));
      if (unknown) throw new Error(`network "${id}" has no layer "${unknown}" to tap`);
    }
    const outputs = new Map<string, Record<string, Tensor>>();
    for (const layer of net.layers) {
      if (layer.id === net.input) {
        outputs.set(layer.id, { out: input });
        continue;
      }
      const kind = findNodeKind(layer.kind)!;
      if (!kind.apply) continue;
      const inputs: Record<string, Tensor> = {};
      for (const [port, ref] of Object.entries(layer.inputs)) {
        inputs[port] = outputs.get(ref.node)![ref.port]!;
      }
      const vars: Record<string, Tensor> = {};
      for (const v of layer.weights) {
        vars[v.name] = this.weights.get(weightName(id, layer.id, v.name))!;
      }
      outputs.set(
        layer.id,
        kind.apply(
          this.tf,
          inputs,
          vars,
          layer.params,
          this.applyContext(training, id, layer.id, call),
        ),
      );
    }
    const tapped = Object.fromEntries(taps.map((layer) => [layer, outputs.get(layer)!.out!]));
    return { out: outputs.get(net.output.node)![net.output.port]!, taps: tapped };
  }

  /** A call of its own: fresh random numbers, running statistics updated. */
  private freshCall(): NetworkCall {
    return { seed: () => this.random.int(2 ** 31), updatesState: true };
  }

  /** Computes a node's outputs, reusing what this step already computed. */
  private evaluate(id: string, values: Values): Record<string, Tensor> {
    const known = values.get(id);
    if (known) return known;
    const tf = this.tf;
    const node = this.nodes.get(id)!;
    const input = (port: string) => {
      const ref = node.inputs[port]?.[0];
      return ref ? this.evaluate(ref.node, values)[ref.port] : undefined;
    };
    let outputs: Record<string, Tensor>;
    switch (node.behavior) {
      case 'dataset':
      case 'noise': {
        const batch = this.options.source.next(node, this.random);
        outputs = Object.fromEntries(
          Object.entries(batch).map(([port, t]) => [port, tf.tensor(t.data, t.shape)]),
        );
        break;
      }
      case 'network': {
        const network = node.params.network as string;
        const taps = node.params.taps as string[];
        const applied = this.runNetworkTaps(
          network,
          input('in')!,
          true,
          taps,
          this.callOf(id, network),
        );
        outputs = { ...applied.taps, out: applied.out };
        break;
      }
      case 'pool':
        outputs = { out: this.pools.get(id)!.query(input('in')!, this.random) };
        break;
      case 'layer':
      case 'loss': {
        // A term weighted 0 is left out, as the reference skips identity at lambda_identity 0.
        if (node.behavior === 'loss' && node.params.weight === 0) {
          outputs = { loss: tf.scalar(0) };
          break;
        }
        const kind = findNodeKind(node.kind)!;
        const inputs: Record<string, Tensor> = {};
        for (const port of Object.keys(node.inputs)) inputs[port] = input(port)!;
        const state = this.nodeState.get(id) ?? {};
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
      seed: () => this.random.int(2 ** 31),
      updateState: (name, value) => this.nodeState.get(id)![name]!.assign(value),
      applyNetwork: (network, input) => this.runNetwork(network, input, true),
    };
  }

  /** State of training-graph nodes that lasts across steps (BEGAN's k_t), by node id then name. */
  private createNodeState(): void {
    for (const node of this.program.nodes) {
      const specs = findNodeKind(node.kind)?.weights?.({}, node.params) ?? [];
      if (specs.length === 0) continue;
      const state: Record<string, Variable> = {};
      for (const spec of specs) {
        const init = spec.init === 'ones' ? this.tf.ones(spec.shape) : this.tf.zeros(spec.shape);
        state[spec.name] = this.tf.variable(init, false);
        init.dispose();
      }
      this.nodeState.set(node.id, state);
    }
  }

  /**
   * How a network application draws random numbers and updates running statistics this time.
   * Recomputed only for a later optimizer's gradient tape, with its network's weights unchanged
   * since, it replays its first computation (the same dropout masks, running statistics updated
   * once): the reference computes it once per step. After its network was updated it is a new
   * call, as the reference calls D again on the same fakes after D's step.
   */
  private callOf(nodeId: string, network: string): NetworkCall {
    const version = this.networkVersions.get(network) ?? 0;
    const first = this.applications.get(nodeId);
    if (first && first.version === version) {
      let next = 0;
      return {
        seed: () => first.seeds[next++] ?? this.random.int(2 ** 31),
        updatesState: false,
      };
    }
    const seeds: number[] = [];
    this.applications.set(nodeId, { version, seeds });
    return {
      seed: () => {
        const seed = this.random.int(2 ** 31);
        seeds.push(seed);
        return seed;
      },
      updatesState: true,
    };
  }

  /**
   * Drops this step's values that depend on the given networks: computed while another optimizer
   * updated (its gradient tape did not watch these networks), they would hand this optimizer no
   * gradient. Recomputed, they reuse the step's data and noise. Values reached only through an
   * image pool are kept: a pool hands out stored images, constants to every network.
   */
  private forgetValuesOf(networks: readonly string[], values: Values): void {
    const wanted = new Set(networks);
    const memo = new Map<string, boolean>();
    const depends = (id: string): boolean => {
      const known = memo.get(id);
      if (known !== undefined) return known;
      const node = this.nodes.get(id)!;
      memo.set(id, false);
      const own = typeof node.params.network === 'string' && wanted.has(node.params.network);
      const result =
        node.behavior !== 'pool' &&
        (own || Object.values(node.inputs).some((refs) => refs.some((r) => depends(r.node))));
      memo.set(id, result);
      return result;
    };
    for (const [id, outputs] of values) {
      if (!depends(id)) continue;
      for (const t of Object.values(outputs)) t.dispose();
      values.delete(id);
    }
  }

  private disposeValues(values: Values): void {
    for (const outputs of values.values()) for (const t of Object.values(outputs)) t.dispose();
    values.clear();
  }

  /** One training step: every optimizer in order, each as many updates as it asks for. */
  async step(options: { record?: boolean } = {}): Promise<StepResult> {
    const tf = this.tf;
    const started = performance.now();
    const values: Values = new Map();
    const losses = new Map<string, Tensor>();
    const recorded = options.record
      ? { outputs: new Map<string, Tensor>(), gradients: new Map<string, Tensor>() }
      : undefined;
    this.applications.clear();
    try {
      for (const opt of this.optimizers) {
        const weights = [...opt.weights.values()];
        for (let update = 0; update < opt.spec.updates; update++) {
          // A repeated update (n_critic) judges a fresh batch.
          if (update > 0) {
            this.disposeValues(values);
            this.applications.clear();
          } else this.forgetValuesOf(opt.spec.networks, values);
          const { grads, value } = tf.variableGrads(() => {
            const terms = opt.spec.losses.map((id) => this.evaluate(id, values).loss!);
            return tf.addN(terms) as Scalar;
          }, weights);
          value.dispose();
          const named: Record<string, Tensor> = {};
          for (const [tfName, g] of Object.entries(grads)) {
            named[this.weightByTfName.get(tfName)!] = g;
          }
          if (recorded && update === 0) {
            for (const [name, g] of Object.entries(named))
              recorded.gradients.set(name, tf.clone(g));
          }
          opt.apply(named, this.completedSteps);
          for (const net of opt.spec.networks) {
            this.networkVersions.set(net, (this.networkVersions.get(net) ?? 0) + 1);
          }
          for (const g of Object.values(grads)) g.dispose();
          for (const id of opt.spec.losses) {
            losses.get(id)?.dispose();
            losses.set(id, tf.clone(values.get(id)!.loss!));
          }
        }
      }
      this.keepPreviews(values);
      if (recorded) {
        for (const [id, outputs] of values) {
          for (const [port, t] of Object.entries(outputs)) {
            recorded.outputs.set(`${id}.${port}`, tf.clone(t));
          }
        }
      }
      const names = [...losses.keys()];
      const stacked = tf.stack(names.map((n) => losses.get(n)!));
      const numbers = await stacked.data();
      stacked.dispose();
      this.completedSteps++;
      return {
        step: this.completedSteps,
        losses: Object.fromEntries(names.map((n, i) => [n, numbers[i]!])),
        stepMs: performance.now() - started,
        ...(recorded ? { recorded } : {}),
      };
    } finally {
      this.disposeValues(values);
      for (const t of losses.values()) t.dispose();
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
    for (const [id, t] of this.previews) {
      out.set(id, { shape: [...t.shape], data: (await t.data()) as Float32Array });
    }
    return out;
  }

  /** Everything training depends on, read back from the backend: what a checkpoint holds. */
  async saveState(): Promise<TrainerState> {
    const read = async (t: Tensor) => ({
      shape: [...t.shape],
      data: (await t.data()) as Float32Array,
    });
    const weights = new Map<string, HostTensor>();
    for (const [name, v] of this.weights) weights.set(name, await read(v));
    const optimizers = [];
    for (const opt of this.optimizers) {
      const slots = new Map<string, HostTensor>();
      for (const [name, byName] of opt.state.slots) {
        for (const [slot, v] of Object.entries(byName)) slots.set(`${slot}/${name}`, await read(v));
      }
      optimizers.push({ id: opt.spec.id, step: opt.state.step, slots });
    }
    const pools = new Map<string, HostTensor[]>();
    for (const [id, pool] of this.pools) pools.set(id, await Promise.all(pool.images.map(read)));
    const nodeState = new Map<string, HostTensor>();
    for (const [id, state] of this.nodeState) {
      for (const [name, v] of Object.entries(state)) nodeState.set(`${id}.${name}`, await read(v));
    }
    return {
      step: this.completedSteps,
      random: this.random.state(),
      weights,
      optimizers,
      pools,
      nodeState,
    };
  }

  /**
   * Continues from a saved state: the next step is exactly the one that would have followed.
   * Throws, changing nothing, when the state belongs to a different program.
   */
  loadState(state: TrainerState): void {
    const tf = this.tf;
    const mismatch = stateMismatch(this, state);
    if (mismatch) throw new Error(mismatch);
    for (const [name, t] of state.weights) {
      const value = tf.tensor(t.data, t.shape);
      this.weights.get(name)!.assign(value);
      value.dispose();
    }
    for (const opt of this.optimizers) {
      const saved = state.optimizers.find((o) => o.id === opt.spec.id)!;
      opt.dispose();
      opt.state.step = saved.step;
      for (const [key, t] of saved.slots) {
        const at = key.indexOf('/');
        const slot = key.slice(0, at);
        const name = key.slice(at + 1);
        let slots = opt.state.slots.get(name);
        if (!slots) opt.state.slots.set(name, (slots = {}));
        const value = tf.tensor(t.data, t.shape);
        slots[slot] = tf.variable(value, false);
        value.dispose();
      }
    }
    for (const [id, pool] of this.pools) {
      pool.dispose();
      for (const t of state.pools.get(id) ?? []) pool.images.push(tf.tensor(t.data, t.shape));
    }
    for (const [id, byName] of this.nodeState) {
      for (const [name, v] of Object.entries(byName)) {
        const t = state.nodeState.get(`${id}.${name}`)!;
        const value = tf.tensor(t.data, t.shape);
        v.assign(value);
        value.dispose();
      }
    }
    this.completedSteps = state.step;
    this.random = restoreRandom(state.random);
  }
}

export interface TrainerState {
  step: number;
  random: number;
  weights: Map<string, HostTensor>;
  optimizers: { id: string; step: number; slots: Map<string, HostTensor> }[];
  pools: Map<string, HostTensor[]>;
  /** State of training-graph nodes across steps (BEGAN's k_t), as `<node id>.<name>`. */
  nodeState: Map<string, HostTensor>;
}

/** Why a saved state cannot continue this trainer's program, or undefined when it can. */
function stateMismatch(trainer: Trainer, state: TrainerState): string | undefined {
  for (const [name, v] of trainer.weights) {
    const saved = state.weights.get(name);
    if (!saved) return `it has no weight "${name}": it was saved from a different graph`;
    if (saved.shape.join('×') !== v.shape.join('×')) {
      return `weight "${name}" is ${saved.shape.join('×')} there and ${v.shape.join('×')} here: it was saved from a different graph or size`;
    }
  }
  for (const name of state.weights.keys()) {
    if (!trainer.weights.has(name))
      return `its weight "${name}" is not in this graph: it was saved from a different graph`;
  }
  for (const opt of trainer.optimizers) {
    if (!state.optimizers.some((o) => o.id === opt.spec.id))
      return `it has no state for optimizer "${opt.spec.id}"`;
  }
  for (const [id, byName] of trainer.nodeState) {
    for (const name of Object.keys(byName)) {
      if (!state.nodeState.has(`${id}.${name}`))
        return `it has no state "${name}" for node "${id}"`;
    }
  }
  for (const id of trainer.pools.keys()) {
    const images = state.pools.get(id);
    if (!images) return `it has no image pool "${id}"`;
    // The weights of a fully convolutional network fit any image size; the pooled images do not.
    const [, ...image] = trainer.program.nodes.find((n) => n.id === id)!.outputShapes.out!;
    const saved = images[0]?.shape.slice(1);
    if (saved && saved.join('×') !== image.join('×')) {
      return `its image pool "${id}" holds ${saved.join('×')} images and this graph makes ${image.join('×')}: it was saved at another image size`;
    }
  }
  return undefined;
}
