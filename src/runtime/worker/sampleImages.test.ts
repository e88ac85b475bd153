import { describe, expect, test } from 'vitest';
import { SAMPLES_PER_BATCH } from './protocol';
import { sampleImage } from './sampleImages';

describe('a sample of a batch', () => {
  test('carries every image of a batch of 8, each its own pixels', () => {
    // Image i of the batch is uniformly (i / 8) * 2 - 1: its red byte grows with i.
    const values = new Float32Array(8 * 2 * 2 * 1).map((_, v) => (Math.floor(v / 4) / 8) * 2 - 1);
    const sample = sampleImage('show_fake', 'fake', [8, 2, 2, 1], values);
    expect(sample.more).toHaveLength(7);
    const reds = [sample.rgba, ...sample.more!].map((rgba) => rgba[0]!);
    expect(reds).toEqual([...reds].sort((a, b) => a - b));
    expect(new Set(reds).size).toBe(8);
  });

  test(`keeps at most ${SAMPLES_PER_BATCH} images of a larger batch, and none more for one image`, () => {
    const big = sampleImage('x', 'x', [40, 1, 1, 3], new Float32Array(40 * 3));
    expect(1 + big.more!.length).toBe(SAMPLES_PER_BATCH);
    expect(sampleImage('x', 'x', [1, 1, 1, 3], new Float32Array(3)).more).toBeUndefined();
  });
});
