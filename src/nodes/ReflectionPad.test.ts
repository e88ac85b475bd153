import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Tensor } from './kind';
import { evaluation, noNetworks, testCeilings, testNodeKind, thrownBy } from './nodeKindHarness';
import { ReflectionPadNode } from './ReflectionPad';

testNodeKind(ReflectionPadNode, [
  { name: 'padding 1', params: {}, inputs: { in: [2, 5, 4, 2] } },
  { name: 'padding 3', params: { padding: 3 }, inputs: { in: [1, 8, 8, 3] } },
]);

describe('ReflectionPad shape errors quote what they received', () => {
  it('ReflectionPad wider than its input', () => {
    const error = thrownBy(() =>
      ReflectionPadNode.inferShapes(
        { in: [1, 3, 3, 2] },
        ReflectionPadNode.params.parse({ padding: 3 }),
        noNetworks,
      ),
    );
    expect(error.message).toContain('received 1×3×3×2');
  });
});

describe('ReflectionPad numbers', () => {
  const pad1 = (x: Tensor) =>
    ReflectionPadNode.apply!(
      tf,
      { in: x },
      {},
      ReflectionPadNode.params.parse({ padding: 1 }),
      evaluation,
    ).out!;
  const ramp = () => tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const grid = (t: Tensor) => t.squeeze().arraySync();

  // Expected values: PyTorch's nn.ReflectionPad2d(1) on [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
  // (rows and columns are taken in the order 1, 0, 1, 2, 1), exact.
  it('reflection padding equals PyTorch ReflectionPad2d(1)', () => {
    expect(grid(pad1(ramp()))).toEqual([
      [5, 4, 5, 6, 5],
      [2, 1, 2, 3, 2],
      [5, 4, 5, 6, 5],
      [8, 7, 8, 9, 8],
      [5, 4, 5, 6, 5],
    ]);
  });

  // With weights w[p][q] = 5p + q + 1 on the 5×5 padded grid, input row a is read by padded rows
  // R(0) = {1}, R(1) = {0, 2, 4}, R(2) = {3} (columns alike), so the gradient at (a, b) is the sum
  // of w over R(a)×R(b), e.g. (1, 1): w at rows and columns {0, 2, 4} = 117. tf.mirrorPad's
  // gradient would return only the interior weights [[7, 8, 9], [12, 13, 14], [17, 18, 19]].
  // Exact.
  it('reflection padding sends border gradients back', () => {
    const weights = tf.reshape(tf.range(1, 26), [1, 5, 5, 1]);
    const g = tf.grad((x: Tensor) => tf.sum(tf.mul(pad1(x), weights)))(ramp());
    expect(grid(g)).toEqual([
      [7, 24, 9],
      [36, 117, 42],
      [17, 54, 19],
    ]);
  });
});

testCeilings(ReflectionPadNode, {}, { padding: 64 });
