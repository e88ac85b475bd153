import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CONV_CEILINGS, ConvNode } from './Conv';
import { evaluation, noNetworks, testCeilings, testNodeKind, thrownBy } from './nodeKindHarness';

testNodeKind(ConvNode, [
  {
    name: 'stride 2 padding 1',
    params: { filters: 4, stride: 2, padding: 1 },
    inputs: { in: [2, 8, 8, 3] },
  },
  {
    name: 'transposed stride 2 padding 1 outputPadding 1 on 5×5',
    params: { filters: 4, transposed: true, stride: 2, padding: 1, outputPadding: 1 },
    inputs: { in: [2, 5, 5, 3] },
  },
  {
    name: 'transposed 4×4 stride 2 padding 1 (DCGAN)',
    params: { filters: 2, kernel: 4, transposed: true, stride: 2, padding: 1 },
    inputs: { in: [2, 4, 4, 3] },
  },
  {
    name: "transposed 'same' stride 2",
    params: { filters: 2, transposed: true, stride: 2, padding: 'same' },
    inputs: { in: [1, 3, 5, 2] },
  },
  {
    name: "transposed 'valid' stride 2",
    params: { filters: 2, transposed: true, stride: 2, padding: 'valid' },
    inputs: { in: [1, 3, 3, 2] },
  },
  {
    name: "'same' stride 1",
    params: { filters: 3, padding: 'same' },
    inputs: { in: [2, 7, 5, 2] },
  },
  {
    name: "'same' stride 2 on odd sizes",
    params: { filters: 3, stride: 2, padding: 'same' },
    inputs: { in: [2, 7, 5, 2] },
  },
  {
    name: "'valid' 4×4 stride 2",
    params: { filters: 3, kernel: 4, stride: 2, padding: 'valid' },
    inputs: { in: [1, 9, 9, 2] },
  },
  {
    name: 'kernel 7 padding 0 no bias',
    params: { filters: 3, kernel: 7, bias: false },
    inputs: { in: [1, 10, 12, 3] },
  },
  {
    name: 'PatchGAN 4×4 stride 1 padding 1',
    params: { filters: 1, kernel: 4, padding: 1 },
    inputs: { in: [2, 6, 6, 8] },
  },
]);

describe('Conv shape errors quote what they received', () => {
  it('Conv on a 3-D input', () => {
    const error = thrownBy(() =>
      ConvNode.inferShapes({ in: [1, 8, 8] }, ConvNode.params.parse({ filters: 4 }), noNetworks),
    );
    expect(error.port).toBe('in');
    expect(error.message).toContain('received 1×8×8');
  });

  it('Conv whose output would be empty names the sizes', () => {
    const error = thrownBy(() =>
      ConvNode.inferShapes(
        { in: [1, 4, 4, 3] },
        ConvNode.params.parse({ filters: 4, kernel: 7 }),
        noNetworks,
      ),
    );
    expect(error.port).toBe('in');
    expect(error.message).toContain('1×4×4×3');
    expect(error.message).toContain('7×7');
    expect(error.message).toContain('-2×-2');
  });

  it('Conv with no input connected', () => {
    expect(
      thrownBy(() => ConvNode.inferShapes({}, ConvNode.params.parse({ filters: 4 }), noNetworks))
        .port,
    ).toBe('in');
  });
});

describe('Conv numbers', () => {
  it('transposed conv stride 2 padding 1 outputPadding 1 doubles the size', () => {
    const params = ConvNode.params.parse({
      filters: 2,
      transposed: true,
      stride: 2,
      padding: 1,
      outputPadding: 1,
    });
    const out = ConvNode.apply!(
      tf,
      { in: tf.ones([1, 5, 5, 3]) },
      { weight: tf.ones([3, 3, 2, 3]), bias: tf.zeros([2]) },
      params,
      evaluation,
    ).out!;
    expect(out.shape).toEqual([1, 10, 10, 2]);
    expect(ConvNode.inferShapes({ in: [1, 5, 5, 3] }, params, noNetworks).out).toEqual([
      1, 10, 10, 2,
    ]);
  });
});

testCeilings(ConvNode, { filters: 4 }, CONV_CEILINGS);
