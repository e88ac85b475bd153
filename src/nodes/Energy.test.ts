import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { EnergyNode } from './Energy';
import { testNodeKind } from './nodeKindHarness';

testNodeKind(
  EnergyNode,
  (['l1', 'l2'] as const).map((distance) => ({
    name: distance,
    params: { distance },
    inputs: { in: [2, 4, 4, 1], target: [2, 4, 4, 1] },
  })),
);

/** Gradients of the batch's summed energy with respect to the reconstruction and the target. */
function gradients(targetGradient: boolean, distance: 'l1' | 'l2') {
  const reconstruction = tf.tensor4d([0.5, -0.25, 1, 0.75], [2, 1, 2, 1]);
  const target = tf.tensor4d([0, 0.5, 0.25, -1], [2, 1, 2, 1]);
  const params = EnergyNode.params.parse({ distance, target_gradient: targetGradient });
  const [dIn, dTarget] = tf.grads((x: tf.Tensor, t: tf.Tensor) =>
    tf.sum(
      EnergyNode.apply!(tf, { in: x, target: t }, {}, params, {
        training: true,
        seed: () => 0,
        updateState: () => {},
      }).out!,
    ),
  )([reconstruction, target]);
  return { dIn: Array.from(dIn!.dataSync()), dTarget: Array.from(dTarget!.dataSync()) };
}

describe('Energy', () => {
  it('is the mean squared or absolute difference per sample', () => {
    const params = EnergyNode.params.parse({ distance: 'l2' });
    const out = EnergyNode.apply!(
      tf,
      {
        in: tf.tensor2d([
          [1, 3],
          [0, 0],
        ]),
        target: tf.tensor2d([
          [0, 1],
          [1, 1],
        ]),
      },
      {},
      params,
      { training: true, seed: () => 0, updateState: () => {} },
    ).out!;
    expect(Array.from(out.dataSync())).toEqual([2.5, 1]);
  });

  it('passes gradients into its target by default, as PyTorch-GAN’s BEGAN does', () => {
    const { dIn, dTarget } = gradients(true, 'l2');
    // d/dx mean((x - t)²) over a sample's 2 values = (x - t); the target gets the opposite.
    expect(dIn).toEqual([0.5, -0.75, 0.75, 1.75]);
    expect(dTarget).toEqual([-0.5, 0.75, -0.75, -1.75]);
  });

  it('with target_gradient false, treats its target as a constant, as PyTorch-GAN’s EBGAN does', () => {
    const { dIn, dTarget } = gradients(false, 'l2');
    expect(dIn).toEqual([0.5, -0.75, 0.75, 1.75]);
    expect(dTarget).toEqual([0, 0, 0, 0]);
    expect(gradients(false, 'l1').dTarget).toEqual([0, 0, 0, 0]);
  });
});
