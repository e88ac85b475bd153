import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Shape } from './kind';
import { ADVERSARIAL_LOSSES, LossNode } from './Loss';
import {
  evaluation,
  noNetworks,
  testNodeKind,
  thrownBy,
  type NodeKindExample,
} from './nodeKindHarness';

const adversarialInputs: [string, Record<string, Shape>][] = [
  ['real only', { real: [2, 3, 3, 1] }],
  ['fake only', { fake: [2, 3, 3, 1] }],
  ['real and fake', { real: [2, 3, 3, 1], fake: [2, 3, 3, 1] }],
];

const examples: NodeKindExample[] = [
  ...(['l1', 'l2'] as const).map((type) => ({
    name: `${type} input/target`,
    params: { type, weight: 10 },
    inputs: { input: [2, 4, 4, 3], target: [2, 4, 4, 3] },
  })),
  ...ADVERSARIAL_LOSSES.flatMap((type) =>
    adversarialInputs
      // BEGAN's discriminator term balances both (k_t): it takes both or nothing.
      .filter(([name]) => type !== 'began' || name === 'real and fake')
      .map(([name, inputs]) => ({
        name: `${type} ${name}`,
        params: { type, weight: 0.5 },
        inputs,
      })),
  ),
  ...ADVERSARIAL_LOSSES.map((type) => ({
    name: `${type} generator term`,
    params: { type, role: 'generator' },
    inputs: { real: [2, 1] },
  })),
  {
    name: 'pullaway on vectors',
    params: { type: 'pullaway', weight: 0.1 },
    inputs: { embeddings: [3, 4] },
  },
  {
    name: 'pullaway on images, flattened per sample',
    params: { type: 'pullaway' },
    inputs: { embeddings: [2, 2, 2, 3] },
  },
];

testNodeKind(LossNode, examples);

describe('Loss shape errors quote what they received', () => {
  it('Loss l1 whose target differs names port "target"', () => {
    const error = thrownBy(() =>
      LossNode.inferShapes(
        { input: [1, 8, 8, 3], target: [1, 8, 8, 1] },
        LossNode.params.parse({ type: 'l1' }),
        noNetworks,
      ),
    );
    expect(error.port).toBe('target');
    expect(error.message).toContain('1×8×8×3');
    expect(error.message).toContain('1×8×8×1');
  });
});

describe('Loss numbers', () => {
  const vanilla = LossNode.params.parse({ type: 'vanilla' });

  // BCE with logits against "real": log(1 + e^-x), so [-100, 0, 100] gives
  // (100 + log 2 + ~0) / 3 = 100/3 + log(2)/3. Tolerance 1e-5 (float32 at 33.6).
  it('vanilla loss is BCE with logits, finite for large logits', () => {
    const logits = tf.tensor4d([-100, 0, 100], [1, 1, 3, 1]);
    const real = LossNode.apply!(tf, { real: logits }, {}, vanilla, evaluation).loss!;
    expect(Math.abs(real.dataSync()[0]! - (100 / 3 + Math.log(2) / 3))).toBeLessThan(1e-5);
    const large = tf.tensor4d([-1e4, 1e4], [1, 1, 2, 1]);
    const both = LossNode.apply!(tf, { real: large, fake: large }, {}, vanilla, evaluation).loss!;
    // real: (1e4 + 0) / 2; fake: (0 + 1e4) / 2.
    expect(both.dataSync()[0]).toBeCloseTo(1e4, 2);
  });
});
