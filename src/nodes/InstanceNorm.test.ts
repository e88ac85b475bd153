import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InstanceNormNode } from './InstanceNorm';
import { evaluation, testNodeKind } from './nodeKindHarness';

testNodeKind(InstanceNormNode, [
  { name: 'default', params: {}, inputs: { in: [2, 5, 5, 3] } },
  { name: 'affine', params: { affine: true }, inputs: { in: [2, 5, 5, 3] } },
]);

describe('InstanceNorm numbers', () => {
  // Tolerance 1e-4: eps 1e-5 shrinks the variance by a factor v / (v + eps), about 1e-6 here.
  it('instance norm gives each sample and channel mean 0 and biased variance 1', () => {
    const x = tf.add(tf.mul(tf.randomNormal([2, 6, 5, 3], 0, 1, 'float32', 7), 3), 2);
    const params = InstanceNormNode.params.parse({});
    const y = InstanceNormNode.apply!(tf, { in: x }, {}, params, evaluation).out!;
    const { mean, variance } = tf.moments(y, [1, 2]);
    for (const v of mean.dataSync()) expect(Math.abs(v)).toBeLessThan(1e-4);
    for (const v of variance.dataSync()) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
  });
});
