/**
 * The check's estimate of a training step's memory (src/graph/budget.ts) against what tfjs
 * itself counts: the peak bytes of one CycleGAN step on the cpu backend, at two sizes, within
 * 25%. The step measured is the third, once the optimizers' slots are made and the pools full.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateStep } from '../../src/graph/budget';
import { selectBackend } from '../../src/runtime/backends/select';
import { compileGraph } from '../../src/runtime/compile';
import { DataBatchSource } from '../../src/runtime/data/batches';
import { Trainer } from '../../src/runtime/trainer';

const template = readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8');

describe("the estimate of a step's memory", () => {
  beforeAll(async () => {
    await selectBackend(tf, 'cpu');
  });

  it.each([32, 64])(
    'is within a quarter of the peak tfjs reports for CycleGAN at size %i',
    async (size) => {
      // Pools of 2 images are full after step 2.
      const compiled = compileGraph(template, {
        size,
        ngf: 8,
        ndf: 8,
        n_blocks: 2,
        pool_size: 2,
      });
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
      const estimate = estimateStep(compiled.graph, compiled.inference).total;
      const before = tf.memory().numBytes;
      const trainer = new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed: 1 });
      try {
        await trainer.step();
        await trainer.step();
        const profile = await tf.profile(async () => {
          await trainer.step();
        });
        // peakBytes counts every tensor alive, those made before the trainer too.
        const measured = profile.peakBytes - before;
        expect(estimate / measured).toBeGreaterThan(0.75);
        expect(estimate / measured).toBeLessThan(1.25);
      } finally {
        trainer.dispose();
      }
    },
    60_000,
  );
});
