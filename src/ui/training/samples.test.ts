import { describe, expect, test } from 'vitest';
import type { SampleImage } from '../../runtime/worker/protocol';
import { batchOf, gridColumns, withEarlierSamples, type SampleSet } from './samples';

const image = (id: string, count: number, side = 2): SampleImage => {
  const bytes = () => new Uint8ClampedArray(side * side * 4);
  return {
    id,
    label: id,
    width: side,
    height: side,
    rgba: bytes(),
    ...(count > 1 ? { more: Array.from({ length: count - 1 }, bytes) } : {}),
  };
};

const set = (step: number, side = 2): SampleSet => ({ step, images: [image('show', 1, side)] });

describe('samples to look at', () => {
  test('a batch of 8 is 8 images, drawn 3 a row', () => {
    const batch = batchOf(image('show_fake', 8));
    expect(batch).toHaveLength(8);
    expect(gridColumns(batch.length)).toBe(3);
    expect(gridColumns(16)).toBe(4);
    expect(gridColumns(1)).toBe(1);
  });

  test('earlier steps are kept up to a count, the oldest dropped first', () => {
    let earlier: SampleSet[] = [];
    for (let step = 1; step <= 5; step++) earlier = withEarlierSamples(earlier, set(step), 3);
    expect(earlier.map((s) => s.step)).toEqual([3, 4, 5]);
  });

  test('earlier steps are kept up to a number of bytes, however few steps that is', () => {
    // Each set holds one 16×16 image: 1 KiB.
    let earlier: SampleSet[] = [];
    for (let step = 1; step <= 5; step++) {
      earlier = withEarlierSamples(earlier, set(step, 16), 50, 2048);
    }
    expect(earlier.map((s) => s.step)).toEqual([4, 5]);
  });
});
