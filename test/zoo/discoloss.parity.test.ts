/**
 * CycleGAN rewired the DiscoGAN way (templates/cyclegan-discoloss.json: L2 cycle, BCE adversarial,
 * no identity) against the PyTorch reference computing the same 3 steps:
 * test/fixtures/parity/cyclegan-discoloss.*, whose README gives the command. Tolerance: the
 * issue's, every loss term of every step within 1e-4 relative.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/runtime/backends/select';
import { compileGraph } from '../../src/runtime/compile';
import { FixedBatchSource } from '../../src/runtime/fixedBatch';
import { readSafeTensors } from '../../src/runtime/safetensors';
import { Trainer } from '../../src/runtime/trainer';
import { importTorchWeights } from '../../src/runtime/weights';

const at = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const FIXTURE = at('../fixtures/parity/cyclegan-discoloss');
const TEMPLATE = at('../../templates/cyclegan-discoloss.json');

interface Reference {
  config: { size: number; ngf: number; ndf: number; n_blocks: number; n_layers_D: number };
  losses_per_step: Record<string, number>[];
}

const reference = JSON.parse(readFileSync(`${FIXTURE}.json`, 'utf8')) as Reference;
let trainer: Trainer;
const ours: Record<string, number>[] = [];

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
  const c = reference.config;
  const compiled = compileGraph(readFileSync(TEMPLATE, 'utf8'), {
    size: c.size,
    ngf: c.ngf,
    ndf: c.ndf,
    n_blocks: c.n_blocks,
    n_layers_D: c.n_layers_D,
  });
  if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('\n'));
  const batch = readSafeTensors(readFileSync(`${FIXTURE}.batch.safetensors`));
  const source = new FixedBatchSource(
    new Map(
      ['real_A', 'real_B'].map((k) => {
        const t = batch.tensors.get(k)!;
        return [k, { data: t.data!, shape: t.shape }];
      }),
    ),
  );
  trainer = new Trainer(tf, compiled.program, { source, seed: 1 });
  const init = readSafeTensors(readFileSync(`${FIXTURE}.init.safetensors`));
  const imported = importTorchWeights(trainer, init);
  if (imported.missing.length || imported.problems.length) {
    throw new Error(`weights: missing ${imported.missing} problems ${imported.problems}`);
  }
  for (let s = 0; s < reference.losses_per_step.length; s++) {
    ours.push((await trainer.step()).losses);
  }
}, 600_000);

afterAll(() => trainer?.dispose());

describe('CycleGAN with DiscoGAN losses matches the PyTorch reference', () => {
  it('every loss term of 3 steps within 1e-4 relative', () => {
    expect(ours).toHaveLength(3);
    for (const [i, terms] of reference.losses_per_step.entries()) {
      expect(Object.keys(terms).sort()).toEqual(['D_A', 'D_B', 'G_A', 'G_B', 'cycle_A', 'cycle_B']);
      for (const [term, ref] of Object.entries(terms)) {
        const value = ours[i]![term]!;
        expect(
          Math.abs(value - ref) / Math.abs(ref),
          `step ${i + 1} ${term}: ${value} vs ${ref}`,
        ).toBeLessThan(1e-4);
      }
    }
  });

  it('leaves the identity terms out at lambda_identity 0, as the reference does', () => {
    for (const terms of ours) {
      expect(terms.idt_A).toBe(0);
      expect(terms.idt_B).toBe(0);
    }
  });

  it('keeps the graph variables and loss term names of cyclegan.json', () => {
    const read = (file: string) =>
      JSON.parse(readFileSync(at(`../../templates/${file}`), 'utf8')) as {
        variables: Record<string, unknown>;
        nodes: { id: string; kind: string }[];
      };
    const terms = (doc: ReturnType<typeof read>) =>
      doc.nodes.filter((n) => n.kind === 'Loss').map((n) => n.id);
    const original = read('cyclegan.json');
    const rewired = read('cyclegan-discoloss.json');
    expect(Object.keys(rewired.variables)).toEqual(Object.keys(original.variables));
    expect(terms(rewired)).toEqual(terms(original));
  });
});
