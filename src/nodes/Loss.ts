import type { Tensor2D } from '@tensorflow/tfjs';
import { z } from 'zod';
import {
  defineNodeKind,
  ShapeError,
  type ApplyContext,
  type PortSpec,
  type TF,
  type Tensor,
  type WeightSpec,
} from './kind';
import { expectConnected, formatShape } from './shapeRules';
import { meanDistance } from './tensorOps';

export const RECONSTRUCTION_LOSSES = ['l1', 'l2'] as const;
export const ADVERSARIAL_LOSSES = ['lsgan', 'vanilla', 'wgan', 'hinge', 'ebgan', 'began'] as const;
/** Adversarial losses on energies (an autoencoder's reconstruction error): low means real. */
const ENERGY_LOSSES = ['ebgan', 'began'] as const;
/** Terms on one batch of features, comparing its samples with each other. */
export const REGULARIZER_LOSSES = ['pullaway'] as const;

const params = z.object({
  type: z
    .enum([...RECONSTRUCTION_LOSSES, ...ADVERSARIAL_LOSSES, ...REGULARIZER_LOSSES])
    .default('l1'),
  weight: z.number().min(0).default(1).describe('The term enters its optimizer multiplied by this'),
  role: z
    .enum(['discriminator', 'generator'])
    .default('discriminator')
    .describe(
      'Adversarial terms: whose objective this is. A generator term judges scores of its fakes ' +
        'as real, wired to "real"; a discriminator term judges "real" and "fake"',
    ),
  margin: z
    .number()
    .positive()
    .default(1)
    .describe('ebgan: the discriminator pushes the energy of fakes up to this margin'),
  gamma: z
    .number()
    .min(0)
    .max(1)
    .default(0.5)
    .describe('began: the ratio E[L(G(z))] / E[L(x)] that k_t keeps (diversity)'),
  lambdaK: z.number().min(0).default(0.001).describe('began: how fast k_t moves'),
});

export type LossParams = z.infer<typeof params>;
type LossType = LossParams['type'];

/** The params each type of loss reads (besides `type` and `weight`, which every type reads). */
export const PARAMS_OF_TYPE: Readonly<Record<LossType, readonly (keyof LossParams)[]>> = {
  l1: [],
  l2: [],
  lsgan: ['role'],
  vanilla: ['role'],
  wgan: ['role'],
  hinge: ['role'],
  ebgan: ['role', 'margin'],
  began: ['role', 'gamma', 'lambdaK'],
  pullaway: [],
};

export function isAdversarial(type: LossType): boolean {
  return (ADVERSARIAL_LOSSES as readonly string[]).includes(type);
}

function isEnergy(type: LossType): boolean {
  return (ENERGY_LOSSES as readonly string[]).includes(type);
}

/** BEGAN's discriminator term carries k_t from step to step. */
function hasBalance(p: LossParams): boolean {
  return p.type === 'began' && p.role === 'discriminator';
}

function ports(p: LossParams): PortSpec[] {
  if (p.type === 'pullaway') {
    return [
      {
        name: 'embeddings',
        type: 'feature',
        description:
          "The discriminator's embeddings of generated images (a tap), N×anything: each sample flattened",
      },
    ];
  }
  if (!isAdversarial(p.type)) {
    return [
      { name: 'input', type: 'feature', description: 'The produced tensor' },
      { name: 'target', type: 'feature', description: 'What it should equal' },
    ];
  }
  const scores = isEnergy(p.type) ? 'Energies' : 'Scores';
  if (p.role === 'generator') {
    return [
      {
        name: 'real',
        type: 'feature',
        description: `${scores} of generated images, which the generator wants judged real`,
      },
    ];
  }
  return [
    {
      name: 'real',
      type: 'feature',
      optional: !hasBalance(p),
      description: `${scores} that should say "real"`,
    },
    {
      name: 'fake',
      type: 'feature',
      optional: !hasBalance(p),
      description: `${scores} that should say "fake"`,
    },
  ];
}

/** BCE with logits, stable for large |x|: max(x, 0) - x·z + log(1 + e^-|x|). */
function bceWithLogits(tf: TF, x: Tensor, target: 0 | 1): Tensor {
  const linear = target === 1 ? tf.sub(tf.relu(x), x) : tf.relu(x);
  return tf.mean(tf.add(linear, tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
}

/** The criterion for scores judged against "real" (1) or "fake" (0). */
function adversarial(tf: TF, p: LossParams, x: Tensor, target: 0 | 1): Tensor {
  switch (p.type) {
    case 'lsgan':
      return meanDistance(tf, x, target, 'l2');
    case 'vanilla':
      return bceWithLogits(tf, x, target);
    case 'wgan':
      return target === 1 ? tf.neg(tf.mean(x)) : tf.mean(x);
    case 'hinge':
      // The generator's hinge term is the Wasserstein one, not the margin (Lim & Ye, 2017).
      if (p.role === 'generator') return tf.neg(tf.mean(x));
      return tf.mean(tf.relu(target === 1 ? tf.sub(1, x) : tf.add(1, x)));
    case 'ebgan':
      // Zhao et al.: D(x) + [m - D(G(z))]+, on the batch's mean energy as PyTorch-GAN does.
      return target === 1 ? tf.mean(x) : tf.relu(tf.sub(p.margin, tf.mean(x)));
    default:
      throw new Error(`${p.type} is not a criterion of one side`);
  }
}

/**
 * EBGAN's pull-away term (Zhao et al., 2017, eq. 6): the mean squared cosine similarity between
 * the embeddings of different samples, 1/(N(N-1)) Σ_{i≠j} (ŝ_i·ŝ_j)², with ŝ the flattened
 * embeddings divided by their L2 norms; 0 for orthogonal embeddings, 1 for parallel ones.
 * PyTorch-GAN's ebgan.py leaves out the square; this is the paper's term. The diagonal is taken
 * off as computed (Σ_i ‖ŝ_i‖⁴, N for rows of norm 1): a row of zeros, whose norm is clamped at
 * 1e-12 as torch.nn.functional.normalize does, then counts as dissimilar to every other instead
 * of making the term NaN.
 */
export function pullAway(tf: TF, embeddings: Tensor): Tensor {
  const n = embeddings.shape[0]!;
  const flat = tf.reshape(embeddings, [n, -1]);
  const squaredNorms = tf.sum(tf.square(flat), 1, true);
  const unit = tf.div(flat, tf.sqrt(tf.maximum(squaredNorms, 1e-24))) as Tensor2D;
  const similarity = tf.matMul(unit, unit, false, true);
  const diagonal = tf.sum(tf.square(tf.sum(tf.square(unit), 1)));
  return tf.div(tf.sub(tf.sum(tf.square(similarity)), diagonal), n * (n - 1));
}

/**
 * BEGAN (Berthelot et al.): L_D = L(x) - k_t·L(G(z)), then
 * k_{t+1} = clip(k_t + λ_k·(γ·L(x) - L(G(z))), 0, 1), from the losses of this update.
 */
function beganDiscriminator(
  tf: TF,
  real: Tensor,
  fake: Tensor,
  k: Tensor,
  p: LossParams,
  context: ApplyContext,
): Tensor {
  const lossReal = tf.mean(real);
  const lossFake = tf.mean(fake);
  if (context.training) {
    const balance = tf.sub(tf.mul(lossReal, p.gamma), lossFake);
    context.updateState('k', tf.clipByValue(tf.add(k, tf.mul(balance, p.lambdaK)), 0, 1));
  }
  return tf.sub(lossReal, tf.mul(k, lossFake));
}

/**
 * One loss term, named by its node id in curves and logs, already multiplied by its weight (as
 * the reference logs its terms). Reconstruction losses compare `input` with `target`.
 * Adversarial losses judge scores: a discriminator term those wired to `real` and/or `fake`
 * (both summed: the reference halves that with weight 0.5), a generator term the scores of its
 * fakes wired to `real`. `ebgan` and `began` judge energies (an autoencoder discriminator's
 * reconstruction error, the Energy layer), where low means real. `pullaway` is EBGAN's
 * regularizer of the generator: how alike the discriminator's embeddings of its fakes are (the
 * embeddings a Discriminator node taps), 0 when they are orthogonal.
 */
export const LossNode = defineNodeKind({
  kind: 'Loss',
  category: 'losses',
  behavior: 'loss',
  description:
    'A weighted loss term: L1, L2, LSGAN, BCE (vanilla), Wasserstein, hinge, EBGAN, BEGAN or pull-away',
  scopes: ['graph'],
  params,
  paramsThatApply(p) {
    const type = params.shape.type.safeParse(p.type).data ?? 'l1';
    return ['type', 'weight', ...PARAMS_OF_TYPE[type]];
  },
  inputs: (p) => ports(p),
  outputs: () => [{ name: 'loss', type: 'loss' }],
  inferShapes(inputs, p) {
    if (p.type === 'pullaway') {
      const embeddings = expectConnected(inputs.embeddings, 'embeddings');
      if (embeddings.length < 2 || embeddings[0]! < 2) {
        throw new ShapeError(
          `the pull-away term compares the samples of a batch with each other: "embeddings" must be N×features with N at least 2, received ${formatShape(embeddings)}`,
          'embeddings',
        );
      }
      return { loss: [] };
    }
    if (isAdversarial(p.type)) {
      if (!inputs.real && !inputs.fake) {
        throw new ShapeError('connect "real", "fake" or both', 'real');
      }
      return { loss: [] };
    }
    const input = expectConnected(inputs.input, 'input');
    const target = expectConnected(inputs.target, 'target');
    if (formatShape(input) !== formatShape(target)) {
      throw new ShapeError(
        `"target" must have the shape of "input" (${formatShape(input)}), received ${formatShape(target)}`,
        'target',
      );
    }
    return { loss: [] };
  },
  weights(_inputs, p) {
    const k: WeightSpec = {
      name: 'k',
      shape: [],
      init: 'zeros',
      trainable: false,
      torchLayout: 'same',
    };
    return hasBalance(p) ? [k] : [];
  },
  apply(tf, inputs, vars, p, context) {
    let raw: Tensor;
    if (p.type === 'pullaway') {
      raw = pullAway(tf, inputs.embeddings!);
    } else if (!isAdversarial(p.type)) {
      raw = meanDistance(tf, inputs.input!, inputs.target!, p.type === 'l1' ? 'l1' : 'l2');
    } else if (hasBalance(p)) {
      raw = beganDiscriminator(tf, inputs.real!, inputs.fake!, vars.k!, p, context);
    } else if (p.type === 'began') {
      raw = tf.mean(inputs.real!);
    } else {
      const parts: Tensor[] = [];
      if (inputs.real) parts.push(adversarial(tf, p, inputs.real, 1));
      if (inputs.fake) parts.push(adversarial(tf, p, inputs.fake, 0));
      raw = parts.length === 1 ? parts[0]! : tf.addN(parts);
    }
    return { loss: tf.mul(raw, p.weight) };
  },
});
