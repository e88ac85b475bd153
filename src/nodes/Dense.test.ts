import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DENSE_MAX_UNITS, DenseNode } from './Dense';
import { evaluation, noNetworks, testCeilings, testNodeKind, thrownBy } from './nodeKindHarness';

testNodeKind(DenseNode, [
  { name: 'with bias', params: { units: 5 }, inputs: { in: [2, 8] } },
  { name: 'no bias', params: { units: 3, bias: false }, inputs: { in: [3, 4] } },
]);

describe('Dense shape errors quote what they received', () => {
  it('Dense on images', () => {
    expect(
      thrownBy(() =>
        DenseNode.inferShapes(
          { in: [2, 4, 4, 3] },
          DenseNode.params.parse({ units: 8 }),
          noNetworks,
        ),
      ).message,
    ).toContain('received 2×4×4×3');
  });
});

describe('Dense numbers', () => {
  // PyTorch Linear: y = x W^T + b with W [out, in]; ours stores W^T. Exact.
  it('dense computes x·W + b', () => {
    const out = DenseNode.apply!(
      tf,
      { in: tf.tensor2d([[1, 2]]) },
      {
        weight: tf.tensor2d([
          [1, 0, 1],
          [0, 1, 1],
        ]),
        bias: tf.tensor1d([0.5, 0, -1]),
      },
      DenseNode.params.parse({ units: 3 }),
      evaluation,
    ).out!;
    expect(out.arraySync()).toEqual([[1.5, 2, 2]]);
  });
});

testCeilings(DenseNode, { units: 4 }, { units: DENSE_MAX_UNITS });
