/**
 * Optimizers with PyTorch's update rules, written out rather than taken from tf.train: their
 * state is ours to save in checkpoints, epsilon is exactly what the graph says (tfjs's Adam
 * defaults to the backend's epsilon), and RMSprop follows torch.optim.RMSprop.
 */
import type { TF, Tensor, Variable } from '../nodes/kind';
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
  readonly state: OptimizerState = { step: 0, slots: new Map() };

  constructor(
    private readonly tf: TF,
    readonly spec: ProgramOptimizer,
    /** The trainable weights it updates, by name. */
    readonly weights: ReadonlyMap<string, Variable>,
  ) {}

  private slot(name: string, slotName: string): Variable {
    let slots = this.state.slots.get(name);
    if (!slots) this.state.slots.set(name, (slots = {}));
    return (slots[slotName] ??= this.tf.variable(
      this.tf.zerosLike(this.weights.get(name)!),
      false,
    ));
  }

  /** Applies one update from gradients keyed by weight name; `trainingStep` sets the rate. */
  apply(grads: Readonly<Record<string, Tensor>>, trainingStep: number): void {
    const tf = this.tf;
    const s = this.spec;
    const t = ++this.state.step;
    const lr = learningRateAt(s, trainingStep);
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

  dispose(): void {
    for (const slots of this.state.slots.values()) {
      for (const v of Object.values(slots)) v.dispose();
    }
    this.state.slots.clear();
  }
}
