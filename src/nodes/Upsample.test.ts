import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from './kind';
import { evaluation, noNetworks, testCeilings, testNodeKind, thrownBy } from './nodeKindHarness';
import { UpsampleNode } from './Upsample';

testNodeKind(UpsampleNode, [
  { name: 'nearest ×2', params: {}, inputs: { in: [2, 3, 5, 2] } },
  { name: 'bilinear ×2', params: { mode: 'bilinear' }, inputs: { in: [2, 3, 5, 2] } },
  { name: 'bilinear ×3', params: { scale: 3, mode: 'bilinear' }, inputs: { in: [1, 4, 2, 3] } },
  { name: 'nearest ×1', params: { scale: 1 }, inputs: { in: [1, 2, 2, 1] } },
  { name: 'bilinear on 1×1', params: { mode: 'bilinear' }, inputs: { in: [2, 1, 1, 3] } },
]);

describe('Upsample shape errors quote what they received', () => {
  it('Upsample on vectors', () => {
    expect(
      thrownBy(() =>
        UpsampleNode.inferShapes({ in: [2, 16] }, UpsampleNode.params.parse({}), noNetworks),
      ).message,
    ).toContain('received 2×16');
  });
});

describe('Upsample numbers', () => {
  const run = (params: unknown, x: Tensor) =>
    UpsampleNode.apply!(tf, { in: x }, {}, UpsampleNode.params.parse(params), evaluation).out!;
  const grid = (t: Tensor) => t.squeeze().arraySync();

  // PyTorch's nn.Upsample documentation example: [[1, 2], [3, 4]], scale_factor 2.
  it('upsampling equals PyTorch nn.Upsample (nearest, bilinear align_corners=False)', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(grid(run({ mode: 'nearest' }, x))).toEqual([
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
    const bilinear = grid(run({ mode: 'bilinear' }, x)) as number[][];
    const expected = [
      [1.0, 1.25, 1.75, 2.0],
      [1.5, 1.75, 2.25, 2.5],
      [2.5, 2.75, 3.25, 3.5],
      [3.0, 3.25, 3.75, 4.0],
    ];
    bilinear.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 6));
  });

  // tf.image.resizeBilinear(halfPixelCenters true) samples as PyTorch does (its forward is right;
  // its gradient is not); tolerance 1e-5.
  it('bilinear upsampling by 3 on a non-square batch equals tf.image.resizeBilinear', () => {
    const x = tf.randomNormal([2, 3, 4, 2], 0, 1, 'float32', 11);
    const ours = run({ scale: 3, mode: 'bilinear' }, x);
    const theirs = tf.image.resizeBilinear(x as tf.Tensor4D, [9, 12], false, true);
    expect(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]).toBeLessThan(1e-5);
  });

  // Upsampling is linear, so the gradient of sum(up(x) * w) at input i is sum(up(e_i) * w), with
  // e_i the i-th basis tensor: the expected values come from forward runs only. Tolerance 1e-5.
  it.each(['nearest', 'bilinear'])(
    '%s upsampling sends back the gradient of its forward map (batch 2, non-square)',
    (mode) => {
      const shape = [2, 2, 3, 1];
      const up = (x: Tensor) => run({ mode }, x);
      const w = tf.randomNormal([2, 4, 6, 1], 0, 1, 'float32', 5);
      const g = tf
        .grad((x: Tensor) => tf.sum(tf.mul(up(x), w)))(tf.zeros(shape))
        .dataSync();
      for (let i = 0; i < 12; i++) {
        const basis = tf.buffer(shape);
        basis.values[i] = 1;
        const expected = tf.sum(tf.mul(up(basis.toTensor()), w)).dataSync()[0]!;
        expect(Math.abs(g[i]! - expected)).toBeLessThan(1e-5);
      }
    },
  );
});

testCeilings(UpsampleNode, {}, { scale: 16 });
