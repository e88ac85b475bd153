/**
 * The training schedule the graph states, honoured by the trainer: optimizers in `order`, each
 * `updates` times a step (n_critic) on fresh batches, weights clipped after each update, each
 * optimizer at its own learning rate, and a generator that updates after its critic still
 * receives a gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/runtime/backends/select';
import type { Trainer } from '../../src/runtime/trainer';
import { CountingSource, tinyProgram, tinyTrainer } from './tiny';

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

type Doc = { nodes: { id: string; params?: Record<string, unknown> }[] };

function setParams(id: string, params: Record<string, unknown>) {
  return (doc: Doc) => Object.assign(doc.nodes.find((n) => n.id === id)!.params!, params);
}

async function withTrainer(trainer: Trainer, run: (t: Trainer) => Promise<void>) {
  try {
    await run(trainer);
  } finally {
    trainer.dispose();
  }
}

/** Records which optimizer applies an update, in the order they happen. */
function recordUpdates(trainer: Trainer): string[] {
  const applied: string[] = [];
  for (const opt of trainer.optimizers) {
    const apply = opt.apply.bind(opt);
    opt.apply = (grads, step) => {
      applied.push(opt.spec.id);
      apply(grads, step);
    };
  }
  return applied;
}

const weightsOf = (trainer: Trainer, network: string) =>
  [...trainer.weights].filter(([name, v]) => name.startsWith(`${network}.`) && v.trainable);

describe('WGAN schedule (critic first, n_critic 5, clip 0.01)', () => {
  it('updates the critic 5 times, each on a fresh batch, then the generator once', async () => {
    const source = new CountingSource();
    const trainer = tinyTrainer(tf, tinyProgram('wgan'), source);
    const applied = recordUpdates(trainer);
    await withTrainer(trainer, async (t) => {
      await t.step();
      expect(applied).toEqual(['opt_D', 'opt_D', 'opt_D', 'opt_D', 'opt_D', 'opt_G']);
      // Digits and noise drawn for each critic update; the generator reuses the last noise.
      expect(Object.fromEntries(source.draws)).toEqual({ data: 5, z: 5 });
      await t.step();
      expect(Object.fromEntries(source.draws)).toEqual({ data: 10, z: 10 });
    });
  });

  it('n_critic is a graph variable', async () => {
    const source = new CountingSource();
    const trainer = tinyTrainer(tf, tinyProgram('wgan', undefined, { n_critic: 2 }), source);
    const applied = recordUpdates(trainer);
    await withTrainer(trainer, async (t) => {
      await t.step();
      expect(applied).toEqual(['opt_D', 'opt_D', 'opt_G']);
      expect(source.draws.get('data')).toBe(2);
    });
  });

  it('keeps every critic weight within ±0.01 after a step, and only the critic', async () => {
    await withTrainer(tinyTrainer(tf, tinyProgram('wgan')), async (t) => {
      const largest = (network: string) =>
        Math.max(...weightsOf(t, network).map(([, v]) => tf.max(tf.abs(v)).dataSync()[0]!));
      // Initialized N(0, 0.02): some weights start outside the clip range.
      expect(largest('D')).toBeGreaterThan(0.01);
      await t.step();
      expect(largest('D')).toBeLessThanOrEqual(0.01);
      expect(largest('G')).toBeGreaterThan(0.01);
    });
  });

  it('runs the optimizers in the order the graph gives, whatever their order in the document', async () => {
    const swapped = tinyProgram('wgan', (doc) => {
      setParams('opt_G', { order: 0 })(doc);
      setParams('opt_D', { order: 1 })(doc);
    });
    const trainer = tinyTrainer(tf, swapped);
    const applied = recordUpdates(trainer);
    await withTrainer(trainer, async (t) => {
      await t.step();
      expect(applied).toEqual(['opt_G', 'opt_D', 'opt_D', 'opt_D', 'opt_D', 'opt_D']);
    });
  });

  // The critic's pass computes G(z) with only the critic's weights watched; the generator's
  // update must recompute it, or it would receive no gradient (tfjs throws on that).
  it('the generator, updated after the critic, receives a gradient and moves', async () => {
    await withTrainer(tinyTrainer(tf, tinyProgram('wgan')), async (t) => {
      const before = weightsOf(t, 'G').map(([, v]) => v.dataSync().slice());
      const { recorded } = await t.step({ record: true });
      const gradients = [...recorded!.gradients].filter(([name]) => name.startsWith('G.'));
      expect(gradients.length).toBe(weightsOf(t, 'G').length);
      const after = weightsOf(t, 'G').map(([, v]) => v.dataSync());
      expect(after.some((w, i) => w.some((x, j) => x !== before[i]![j]))).toBe(true);
      for (const g of recorded!.gradients.values()) g.dispose();
      for (const o of recorded!.outputs.values()) o.dispose();
    });
  });
});

describe('per-optimizer learning rates', () => {
  // Plain SGD: each weight moves by -lr·gradient, with each optimizer's own lr. Tolerance 1e-6
  // (float32 rounding of w - lr·g).
  it('each optimizer steps its own networks at its own learning rate', async () => {
    const program = tinyProgram('gan', (doc) => {
      setParams('opt_G', { type: 'sgd', lr: 0.5 })(doc);
      setParams('opt_D', { type: 'sgd', lr: 0.01 })(doc);
    });
    await withTrainer(tinyTrainer(tf, program), async (t) => {
      const before = new Map([...t.weights].map(([name, v]) => [name, v.dataSync().slice()]));
      const { recorded } = await t.step({ record: true });
      let checked = 0;
      for (const [name, g] of recorded!.gradients) {
        const lr = name.startsWith('G.') ? 0.5 : 0.01;
        const w0 = before.get(name)!;
        const w1 = t.weights.get(name)!.dataSync();
        g.dataSync().forEach((gi, i) => {
          expect(Math.abs(w1[i]! - (w0[i]! - lr * gi))).toBeLessThan(1e-6);
        });
        checked++;
        g.dispose();
      }
      for (const o of recorded!.outputs.values()) o.dispose();
      expect(checked).toBe(weightsOf(t, 'G').length + weightsOf(t, 'D').length);
    });
  });
});

describe('a generator recomputed for a later update (pix2pix: D first, then G)', () => {
  // At 64×64 with 6 downsamplings the U-Net has a dropout block, as the reference's has three.
  const program = () => tinyProgram('pix2pix', () => {}, { size: 64, num_downs: 6, ngf: 2 });

  /** Every output of network `id` this trainer computes while training, in order. */
  function recordApplications(trainer: Trainer, id: string): Float32Array[] {
    const outputs: Float32Array[] = [];
    const run = trainer.runNetworkTaps.bind(trainer);
    trainer.runNetworkTaps = (network, input, training, taps, call) => {
      const applied = run(network, input, training, taps, call);
      if (network === id && training) outputs.push(applied.out.dataSync() as Float32Array);
      return applied;
    };
    return outputs;
  }

  it('gives G the same fake_B that D judged: the same dropout masks', async () => {
    const trainer = tinyTrainer(tf, program());
    const outputs = recordApplications(trainer, 'G');
    await withTrainer(trainer, async (t) => {
      await t.step();
      // Once under D's update (detached), once under G's gradient tape.
      expect(outputs).toHaveLength(2);
      expect(Array.from(outputs[1]!)).toEqual(Array.from(outputs[0]!));
      await t.step();
      expect(outputs).toHaveLength(4);
      expect(Array.from(outputs[3]!)).toEqual(Array.from(outputs[2]!));
      // A new step draws new masks.
      expect(Array.from(outputs[2]!)).not.toEqual(Array.from(outputs[0]!));
    });
  });

  it("updates G's batch-norm running statistics once a step, and D's at each call after D's step", async () => {
    const trainer = tinyTrainer(tf, program());
    const assigned = new Map<string, number>();
    for (const [name, v] of trainer.weights) {
      if (!name.endsWith('.running_mean')) continue;
      const assign = v.assign.bind(v);
      v.assign = (value) => {
        const net = name.split('.')[0]!;
        assigned.set(net, (assigned.get(net) ?? 0) + 1);
        assign(value);
      };
    }
    const layers = (net: string) =>
      [...trainer.weights.keys()].filter(
        (n) => n.startsWith(`${net}.`) && n.endsWith('.running_mean'),
      ).length;
    await withTrainer(trainer, async (t) => {
      await t.step();
      expect(assigned.get('G')).toBe(layers('G'));
      // D judges the real and the fake pair for its update, and the fake again, updated, for G's.
      expect(assigned.get('D')).toBe(3 * layers('D'));
    });
  });
});
