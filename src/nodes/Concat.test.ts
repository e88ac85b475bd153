import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConcatNode } from './Concat';
import { evaluation, noNetworks, testNodeKind, thrownBy } from './nodeKindHarness';

testNodeKind(ConcatNode, [
  { name: 'images', params: {}, inputs: { a: [2, 4, 4, 3], b: [2, 4, 4, 5] } },
  { name: 'vectors', params: {}, inputs: { a: [2, 3], b: [2, 6] } },
]);

describe('Concat shape errors quote what they received', () => {
  it('Concat whose inputs differ in more than channels names port b and both shapes', () => {
    const params = ConcatNode.params.parse({});
    const error = thrownBy(() =>
      ConcatNode.inferShapes({ a: [2, 8, 8, 3], b: [2, 4, 4, 3] }, params, noNetworks),
    );
    expect(error.port).toBe('b');
    expect(error.message).toContain('2×8×8×3');
    expect(error.message).toContain('2×4×4×3');
    const rank = thrownBy(() =>
      ConcatNode.inferShapes({ a: [2, 8, 8, 3], b: [2, 192] }, params, noNetworks),
    );
    expect(rank.port).toBe('b');
    expect(rank.message).toContain('2×192');
  });
});

describe('Concat numbers', () => {
  it('concat puts the channels of a before those of b', () => {
    const out = ConcatNode.apply!(
      tf,
      { a: tf.fill([1, 1, 1, 2], 1), b: tf.fill([1, 1, 1, 1], 2) },
      {},
      ConcatNode.params.parse({}),
      evaluation,
    ).out!;
    expect(out.dataSync()).toEqual(new Float32Array([1, 1, 2]));
  });
});
