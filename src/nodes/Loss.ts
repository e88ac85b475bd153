import { z } from 'zod';
import { defineNodeKind, ShapeError, type PortSpec, type TF, type Tensor } from './kind';
import { formatShape } from './shapeRules';

export const RECONSTRUCTION_LOSSES = ['l1', 'l2'] as const;
export const ADVERSARIAL_LOSSES = ['lsgan', 'vanilla', 'wgan', 'hinge'] as const;

const params = z.object({
  type: z.enum([...RECONSTRUCTION_LOSSES, ...ADVERSARIAL_LOSSES]).default('l1'),
  weight: z.number().min(0).default(1).describe('The term enters its optimizer multiplied by this'),
});

type LossParams = z.infer<typeof params>;
type LossType = LossParams['type'];

export function isAdversarial(type: LossType): boolean {
  return (ADVERSARIAL_LOSSES as readonly string[]).includes(type);
}

function ports(type: LossType): PortSpec[] {
  if (!isAdversarial(type)) {
    return [
      { name: 'input', type: 'feature', description: 'The produced tensor' },
      { name: 'target', type: 'feature', description: 'What it should equal' },
    ];
  }
  return [
    {
      name: 'real',
      type: 'feature',
      optional: true,
      description: 'Scores that should say "real"',
    },
    {
      name: 'fake',
      type: 'feature',
      optional: true,
      description: 'Scores that should say "fake"',
    },
  ];
}

/** BCE with logits, stable for large |x|: max(x, 0) - x·z + log(1 + e^-|x|). */
function bceWithLogits(tf: TF, x: Tensor, target: 0 | 1): Tensor {
  const linear = target === 1 ? tf.sub(tf.relu(x), x) : tf.relu(x);
  return tf.mean(tf.add(linear, tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
}

/** The adversarial criterion for scores judged against "real" (1) or "fake" (0). */
function adversarial(tf: TF, type: LossType, x: Tensor, target: 0 | 1, alone: boolean): Tensor {
  switch (type) {
    case 'lsgan':
      return tf.mean(tf.square(target === 1 ? tf.sub(x, 1) : x));
    case 'vanilla':
      return bceWithLogits(tf, x, target);
    case 'wgan':
      return target === 1 ? tf.neg(tf.mean(x)) : tf.mean(x);
    case 'hinge':
      // A generator's hinge term (only "real" wired) is -mean(D(G(z))), not a margin.
      if (target === 1 && alone) return tf.neg(tf.mean(x));
      return tf.mean(tf.relu(target === 1 ? tf.sub(1, x) : tf.add(1, x)));
    default:
      throw new Error(`${type} is not an adversarial loss`);
  }
}

/**
 * One loss term, named by its node id in curves and logs, already multiplied by its weight (as
 * the reference logs its terms). Reconstruction losses compare `input` with `target`;
 * adversarial losses judge scores wired to `real` and/or `fake`, summing both when both are
 * wired (the discriminator's term; the reference halves it with weight 0.5).
 */
export const LossNode = defineNodeKind({
  kind: 'Loss',
  category: 'losses',
  role: 'loss',
  description: 'A weighted loss term: L1, L2, LSGAN, BCE (vanilla), Wasserstein or hinge',
  scopes: ['graph'],
  params,
  inputs: (p) => ports(p.type),
  outputs: () => [{ name: 'loss', type: 'loss' }],
  inferShapes(inputs, p) {
    if (isAdversarial(p.type)) {
      if (!inputs.real && !inputs.fake) {
        throw new ShapeError('connect "real", "fake" or both', 'real');
      }
      return { loss: [] };
    }
    if (!inputs.input) throw new ShapeError('input "input" is not connected', 'input');
    if (!inputs.target) throw new ShapeError('input "target" is not connected', 'target');
    if (formatShape(inputs.input) !== formatShape(inputs.target)) {
      throw new ShapeError(
        `"target" must have the shape of "input" (${formatShape(inputs.input)}), received ${formatShape(inputs.target)}`,
        'target',
      );
    }
    return { loss: [] };
  },
  apply(tf, inputs, _vars, p) {
    let raw: Tensor;
    if (!isAdversarial(p.type)) {
      const diff = tf.sub(inputs.input!, inputs.target!);
      raw = tf.mean(p.type === 'l1' ? tf.abs(diff) : tf.square(diff));
    } else {
      const alone = !inputs.real || !inputs.fake;
      const parts: Tensor[] = [];
      if (inputs.real) parts.push(adversarial(tf, p.type, inputs.real, 1, alone));
      if (inputs.fake) parts.push(adversarial(tf, p.type, inputs.fake, 0, alone));
      raw = parts.length === 1 ? parts[0]! : tf.addN(parts);
    }
    return { loss: tf.mul(raw, p.weight) };
  },
});
