/**
 * A training step leaks no tensors: the count after step 2 (pools full, optimizer slots made)
 * is the count after step 50.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/runtime/backends/select';
import { compileGraph } from '../../src/runtime/compile';
import { DataBatchSource } from '../../src/runtime/data/batches';
import { Trainer } from '../../src/runtime/trainer';

const template = readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8');

describe('training memory', () => {
  it('tf.memory().numTensors is the same after step 2 and after step 50', async () => {
    await selectBackend(tf, 'cpu');
    // Pools of 2 images are full after step 2, so every later step holds the same tensors.
    const compiled = compileGraph(template, {
      size: 16,
      ngf: 4,
      ndf: 4,
      n_blocks: 1,
      n_layers_D: 2,
      pool_size: 2,
      batch_size: 1,
    });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const before = tf.memory().numTensors;
    const trainer = new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed: 3 });
    const counts: number[] = [];
    for (let step = 1; step <= 50; step++) {
      const result = await trainer.step();
      expect(Object.values(result.losses).every(Number.isFinite)).toBe(true);
      counts.push(tf.memory().numTensors);
    }
    expect(counts[49]).toBe(counts[1]);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
