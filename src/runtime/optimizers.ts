/**
 * Optimizers with PyTorch's update rules, written out rather than taken from tf.train: their
 * state is ours to save in checkpoints, epsilon is exactly what the graph says (tfjs's Adam
 * defaults to the backend's epsilon), and RMSprop follows torch.optim.RMSprop.
 *
 * On webgpu the same rules run as one program over all weights (FlatOptimizerState): there the
 * slots live in its flat buffer between steps and are copied out when `state` is read.
 */
import type { TF, Tensor, Variable } from '../nodes/kind';
import {
  canUpdateFlat,
  FlatOptimizerState,
  type FlatUpdate,
} from './backends/webgpu/fusedOptimizer';
import type { ProgramOptimizer } from './program';

export interface OptimizerState {
  step: number;
  /** Per weight name, its slots (`m`, `v`) as tensors owned by the optimizer. */
  slots: Map<string, Record<string, Variable>>;
}

/** The learning rate at a step: constant, then linear decay to zero (the reference's policy). */
export function learningRateAt(opt: ProgramOptimizer, step: number): number {
  if (opt.constantSteps === null) return opt.lr;
  const decayed = Math.max(0, step - opt.constantSteps) / opt.decaySteps;
  return opt.lr * Math.max(0, 1 - decayed);
}

export class Optimizer {
  private readonly kept: OptimizerState = { step: 0, slots: new Map() };
  /** The slots' home while the flat update runs; `kept.slots` is then a copy. */
  private flat: FlatOptimizerState | undefined;

  /** Step and slots, current: a checkpoint reads them, a loaded one writes them. */
  get state(): OptimizerState {
    if (this.flat) this.copySlotsOut(this.flat);
    return this.kept;
  }

  constructor(
    private readonly tf: TF,
    readonly spec: ProgramOptimizer,
    /** The trainable weights it updates, by name. */
    readonly weights: ReadonlyMap<string, Variable>,
  ) {}

  private slot(name: string, slotName: string): Variable {
    let slots = this.kept.slots.get(name);
    if (!slots) this.kept.slots.set(name, (slots = {}));
    return (slots[slotName] ??= this.tf.variable(
      this.tf.zerosLike(this.weights.get(name)!),
      false,
    ));
  }

  /** Applies one update from gradients keyed by weight name; `trainingStep` sets the rate. */
  apply(grads: Readonly<Record<string, Tensor>>, trainingStep: number): void {
    const tf = this.tf;
    const s = this.spec;
    const t = ++this.kept.step;
    const lr = learningRateAt(s, trainingStep);
    const every = this.weights.size === Object.keys(grads).length;
    if (every && canUpdateFlat(tf)) {
      this.flat ??= new FlatOptimizerState(tf, s.type, this.weights, this.kept.slots);
      this.flat.apply(grads, flatUpdate(s, lr, t));
      return;
    }
    // A weight without a gradient keeps its slots, as PyTorch's does: only the unfused rules
    // update a subset.
    if (this.flat) this.leaveFlat(this.flat);
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const w = this.weights.get(name)!;
        let next: Tensor;
        if (s.type === 'adam') {
          const m = this.slot(name, 'm');
          const v = this.slot(name, 'v');
          m.assign(tf.add(tf.mul(m, s.beta1), tf.mul(g, 1 - s.beta1)));
          v.assign(tf.add(tf.mul(v, s.beta2), tf.mul(tf.square(g), 1 - s.beta2)));
          const bias1 = 1 - s.beta1 ** t;
          const bias2 = 1 - s.beta2 ** t;
          const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bias2)), s.eps);
          next = tf.sub(w, tf.mul(tf.div(m, denom), lr / bias1));
        } else if (s.type === 'rmsprop') {
          const v = this.slot(name, 'v');
          v.assign(tf.add(tf.mul(v, s.alpha), tf.mul(tf.square(g), 1 - s.alpha)));
          next = tf.sub(w, tf.mul(tf.div(g, tf.add(tf.sqrt(v), s.eps)), lr));
        } else {
          next = tf.sub(w, tf.mul(g, lr));
        }
        if (s.clip !== null) next = tf.clipByValue(next, -s.clip, s.clip);
        w.assign(next);
      }
    });
  }

  /** Writes the flat buffer's slots into `kept.slots`, creating the variables it lacks. */
  private copySlotsOut(flat: FlatOptimizerState): void {
    for (const [name, record] of flat.readSlots()) {
      for (const [slotName, value] of Object.entries(record)) {
        const existing = this.kept.slots.get(name)?.[slotName];
        if (existing) existing.assign(value);
        else this.slot(name, slotName).assign(value);
        value.dispose();
      }
    }
  }

  private leaveFlat(flat: FlatOptimizerState): void {
    this.copySlotsOut(flat);
    flat.dispose();
    this.flat = undefined;
  }

  dispose(): void {
    this.flat?.dispose();
    this.flat = undefined;
    for (const slots of this.kept.slots.values()) {
      for (const v of Object.values(slots)) v.dispose();
    }
    this.kept.slots.clear();
  }
}

/** The numbers of one flat update, computed as the unfused rules above compute them. */
function flatUpdate(s: ProgramOptimizer, lr: number, t: number): FlatUpdate {
  const clip = s.clip;
  if (s.type === 'adam') {
    return {
      rule: 'adam',
      rate: lr / (1 - s.beta1 ** t),
      decay1: s.beta1,
      decay2: s.beta2,
      mix1: 1 - s.beta1,
      mix2: 1 - s.beta2,
      sqrtBias2: Math.sqrt(1 - s.beta2 ** t),
      eps: s.eps,
      clip,
    };
  }
  if (s.type === 'rmsprop') {
    const decay = { decay1: 0, mix1: 1, decay2: s.alpha, mix2: 1 - s.alpha };
    return { rule: 'rmsprop', rate: lr, ...decay, sqrtBias2: 1, eps: s.eps, clip };
  }
  const decay = { decay1: 0, mix1: 1, decay2: 0, mix2: 1 };
  return { rule: 'sgd', rate: lr, ...decay, sqrtBias2: 1, eps: 0, clip };
}
