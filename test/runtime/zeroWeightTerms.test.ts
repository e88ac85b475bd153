/**
 * A loss term weighted 0 adds nothing to its optimizer's sum, so the compiled program leaves it
 * out and a step never computes it (as the reference skips identity at lambda_identity 0), while
 * the step still reports it, as 0, in its place among the terms. On CycleGAN at the tiny sizes.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/runtime/backends/select';
import type { TrainingProgram } from '../../src/runtime/program';
import { tinyProgram, tinyTrainer } from '../zoo/tiny';

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

/** One step's reported losses and the node outputs it computed (`same_B.out`). */
async function oneStep(program: TrainingProgram) {
  const trainer = tinyTrainer(tf, program);
  try {
    const { losses, recorded } = await trainer.step({ record: true });
    const computed = [...recorded!.outputs.keys()];
    tf.dispose([...recorded!.outputs.values(), ...recorded!.gradients.values()]);
    return { losses, computed };
  } finally {
    trainer.dispose();
  }
}

describe('loss terms weighted 0', () => {
  it('are left out of their optimizer’s sum but stay among the terms it reports', () => {
    const opt = (program: TrainingProgram) => program.optimizers.find((o) => o.id === 'opt_G')!;
    const without = opt(tinyProgram('cyclegan', undefined, { lambda_identity: 0 }));
    expect(without.losses).toEqual(['idt_A', 'idt_B', 'G_A', 'G_B', 'cycle_A', 'cycle_B']);
    expect(without.summed).toEqual(['G_A', 'G_B', 'cycle_A', 'cycle_B']);
    const weighted = opt(tinyProgram('cyclegan'));
    expect(weighted.summed).toEqual(weighted.losses);
  });

  it('are never computed: their network applications do not run, and they read 0', async () => {
    const withIdentity = await oneStep(tinyProgram('cyclegan'));
    const without = await oneStep(tinyProgram('cyclegan', undefined, { lambda_identity: 0 }));
    // The identity applications (G_A on real_B, G_B on real_A) run only for the identity terms.
    expect(withIdentity.computed).toEqual(
      expect.arrayContaining(['same_B.out', 'same_A.out', 'idt_A.loss', 'idt_B.loss']),
    );
    for (const id of ['same_B.out', 'same_A.out', 'idt_A.loss', 'idt_B.loss']) {
      expect(without.computed).not.toContain(id);
    }
    expect(withIdentity.losses.idt_A).toBeGreaterThan(0);
    expect(without.losses.idt_A).toBe(0);
    expect(without.losses.idt_B).toBe(0);
    expect(Object.keys(without.losses)).toEqual(Object.keys(withIdentity.losses));
  });

  it('keep their place among the reported terms, wherever they are wired', async () => {
    const weighted = await oneStep(tinyProgram('cyclegan'));
    const program = tinyProgram('cyclegan', (doc) => {
      doc.nodes.find((n) => n.id === 'G_B')!.params!.weight = 0;
    });
    expect(program.optimizers[0]!.summed).not.toContain('G_B');
    const { losses } = await oneStep(program);
    expect(losses.G_B).toBe(0);
    expect(Object.keys(losses)).toEqual(Object.keys(weighted.losses));
  });

  it('leave an optimizer whose every term is weighted 0 with no update to make', async () => {
    const program = tinyProgram('cyclegan', (doc) => {
      for (const id of ['G_A', 'G_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B']) {
        doc.nodes.find((n) => n.id === id)!.params!.weight = 0;
      }
    });
    const trainer = tinyTrainer(tf, program);
    try {
      const weight = (name: string) => tf.clone(trainer.weights.get(name)!);
      const before = [weight('G_A.model.1.weight'), weight('D_A.model.0.weight')];
      const { losses } = await trainer.step();
      const after = [weight('G_A.model.1.weight'), weight('D_A.model.0.weight')];
      const changed = before.map((b, i) =>
        tf.tidy(() => tf.any(tf.notEqual(b, after[i]!)).dataSync()[0]),
      );
      expect(changed).toEqual([0, 1]);
      expect(losses.G_A).toBe(0);
      expect(losses.D_A).toBeGreaterThan(0);
      tf.dispose([...before, ...after]);
    } finally {
      trainer.dispose();
    }
  });
});
