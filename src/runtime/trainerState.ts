/**
 * The trainer's state as plain host tensors: everything training depends on (weights, optimizer
 * slots, image pools, the state of training-graph nodes, the step and the random stream), what a
 * checkpoint holds. Saved, then loaded, the next step is exactly the one that would have
 * followed.
 */
import type { TF, Variable } from '../nodes/kind';
import { readHostTensor, toTensor, type HostTensor } from './hostTensor';
import type { ImagePool } from './imagePool';
import type { Optimizer } from './optimizers';
import type { TrainingProgram } from './program';

export interface TrainerState {
  step: number;
  random: number;
  weights: Map<string, HostTensor>;
  optimizers: { id: string; step: number; slots: Map<string, HostTensor> }[];
  pools: Map<string, HostTensor[]>;
  /** State of training-graph nodes across steps (BEGAN's k_t), as `<node id>.<name>`. */
  nodeState: Map<string, HostTensor>;
}

/** What of a trainer its state saves and loads; the step and the random stream travel apart. */
export interface StatefulParts {
  program: TrainingProgram;
  weights: ReadonlyMap<string, Variable>;
  optimizers: readonly Optimizer[];
  pools: ReadonlyMap<string, ImagePool>;
  nodeState: ReadonlyMap<string, Record<string, Variable>>;
}

/** Reads the parts' tensors back from the backend. */
export async function saveState(
  parts: StatefulParts,
  step: number,
  random: number,
): Promise<TrainerState> {
  const weights = new Map<string, HostTensor>();
  for (const [name, v] of parts.weights) weights.set(name, await readHostTensor(v));
  const optimizers = [];
  for (const opt of parts.optimizers) {
    const slots = new Map<string, HostTensor>();
    for (const [name, byName] of opt.state.slots) {
      for (const [slot, v] of Object.entries(byName)) {
        slots.set(`${slot}/${name}`, await readHostTensor(v));
      }
    }
    optimizers.push({ id: opt.spec.id, step: opt.state.step, slots });
  }
  const pools = new Map<string, HostTensor[]>();
  for (const [id, pool] of parts.pools) {
    pools.set(id, await Promise.all(pool.images.map(readHostTensor)));
  }
  const nodeState = new Map<string, HostTensor>();
  for (const [id, state] of parts.nodeState) {
    for (const [name, v] of Object.entries(state)) {
      nodeState.set(`${id}.${name}`, await readHostTensor(v));
    }
  }
  return { step, random, weights, optimizers, pools, nodeState };
}

/**
 * Writes a saved state into the parts. Throws, changing nothing, when the state belongs to a
 * different program.
 */
export function loadState(tf: TF, parts: StatefulParts, state: TrainerState): void {
  const mismatch = stateMismatch(parts, state);
  if (mismatch) throw new Error(mismatch);
  const assign = (v: Variable, t: HostTensor) => {
    const value = toTensor(tf, t);
    v.assign(value);
    value.dispose();
  };
  for (const [name, t] of state.weights) assign(parts.weights.get(name)!, t);
  for (const opt of parts.optimizers) {
    const saved = state.optimizers.find((o) => o.id === opt.spec.id)!;
    opt.dispose();
    opt.state.step = saved.step;
    for (const [key, t] of saved.slots) {
      const at = key.indexOf('/');
      const slot = key.slice(0, at);
      const name = key.slice(at + 1);
      let slots = opt.state.slots.get(name);
      if (!slots) opt.state.slots.set(name, (slots = {}));
      const value = toTensor(tf, t);
      slots[slot] = tf.variable(value, false);
      value.dispose();
    }
  }
  for (const [id, pool] of parts.pools) {
    pool.dispose();
    for (const t of state.pools.get(id) ?? []) pool.images.push(toTensor(tf, t));
  }
  for (const [id, byName] of parts.nodeState) {
    for (const [name, v] of Object.entries(byName))
      assign(v, state.nodeState.get(`${id}.${name}`)!);
  }
}

/** Why a saved state cannot continue the parts' program, or undefined when it can. */
function stateMismatch(parts: StatefulParts, state: TrainerState): string | undefined {
  for (const [name, v] of parts.weights) {
    const saved = state.weights.get(name);
    if (!saved) return `it has no weight "${name}": it was saved from a different graph`;
    if (saved.shape.join('×') !== v.shape.join('×')) {
      return `weight "${name}" is ${saved.shape.join('×')} there and ${v.shape.join('×')} here: it was saved from a different graph or size`;
    }
  }
  for (const name of state.weights.keys()) {
    if (!parts.weights.has(name))
      return `its weight "${name}" is not in this graph: it was saved from a different graph`;
  }
  for (const opt of parts.optimizers) {
    if (!state.optimizers.some((o) => o.id === opt.spec.id))
      return `it has no state for optimizer "${opt.spec.id}"`;
  }
  for (const [id, byName] of parts.nodeState) {
    for (const name of Object.keys(byName)) {
      if (!state.nodeState.has(`${id}.${name}`))
        return `it has no state "${name}" for node "${id}"`;
    }
  }
  for (const id of parts.pools.keys()) {
    const images = state.pools.get(id);
    if (!images) return `it has no image pool "${id}"`;
    // The weights of a fully convolutional network fit any image size; the pooled images do not.
    // A pool keeps images one by one: 1×H×W×C.
    const [, ...image] = parts.program.nodes.find((n) => n.id === id)!.outputShapes.out!;
    const made = [1, ...image].join('×');
    const saved = images.find((t) => t.shape.join('×') !== made);
    if (saved) {
      return `its image pool "${id}" holds ${saved.shape.join('×')} images and this graph makes ${made}: it was saved at another image size`;
    }
  }
  return undefined;
}
