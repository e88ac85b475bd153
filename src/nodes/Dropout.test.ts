import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DropoutNode } from './Dropout';
import { evaluation, testNodeKind } from './nodeKindHarness';

testNodeKind(DropoutNode, [
  { name: 'default rate', params: {}, inputs: { in: [2, 4, 4, 3] } },
  { name: 'rate 0.2 on vectors', params: { rate: 0.2 }, inputs: { in: [2, 7] } },
]);

describe('Dropout numbers', () => {
  it('dropout zeroes values and scales the rest by 1 / (1 - rate) only while training', () => {
    const x = tf.ones([1, 16, 16, 4]);
    const params = DropoutNode.params.parse({ rate: 0.5 });
    const training = { training: true, seed: () => 3, updateState: () => {} };
    const values = [...DropoutNode.apply!(tf, { in: x }, {}, params, training).out!.dataSync()];
    expect(new Set(values)).toEqual(new Set([0, 2]));
    const kept = values.filter((v) => v === 2).length / values.length;
    expect(kept).toBeGreaterThan(0.4);
    expect(kept).toBeLessThan(0.6);
    expect(DropoutNode.apply!(tf, { in: x }, {}, params, evaluation).out!.dataSync()).toEqual(
      x.dataSync(),
    );
  });
});
