import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { reflectionPad, replicationPad } from './tensorOps';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Where padded index i reads from, per PyTorch's ReflectionPad2d / ReplicationPad2d. */
const reflect = (size: number, pad: number) => (i: number) => {
  const j = Math.abs(i - pad);
  return j >= size ? 2 * (size - 1) - j : j;
};
const replicate = (size: number, pad: number) => (i: number) =>
  Math.min(size - 1, Math.max(0, i - pad));

/** The gradient of sum(pad(x) * w) is w summed back onto the source of each padded pixel. */
function expectedGradient(
  w: Float32Array,
  size: number,
  pad: number,
  channels: number,
  source: (i: number) => number,
) {
  const padded = size + 2 * pad;
  const grad = new Float32Array(size * size * channels);
  for (let i = 0; i < padded; i++) {
    for (let j = 0; j < padded; j++) {
      for (let c = 0; c < channels; c++) {
        grad[(source(i) * size + source(j)) * channels + c]! += w[(i * padded + j) * channels + c]!;
      }
    }
  }
  return grad;
}

describe.each([
  ['reflection', reflectionPad, reflect],
  ['replication', replicationPad, replicate],
] as const)('%s padding', (_name, padFn, sourceOf) => {
  // Exact up to float32 summation order (tolerance 1e-5): each gradient is a sum of a few weights.
  it.each([
    [6, 1, 2],
    [6, 3, 2],
    [5, 2, 1],
    [8, 3, 3],
  ])(
    'on %i×%i with pad %i sends every border gradient back to its source',
    (size, pad, channels) => {
      const x = tf.randomNormal([1, size, size, channels]);
      const w = tf.randomNormal([1, size + 2 * pad, size + 2 * pad, channels]);
      const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(padFn(tf, x, pad), w)))(x);
      const expected = expectedGradient(
        w.dataSync() as Float32Array,
        size,
        pad,
        channels,
        sourceOf(size, pad),
      );
      const got = grad.dataSync();
      for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i]!, 5);
    },
  );
});
