import { z } from 'zod';
import { defineNodeKind, ShapeError, type TF, type Tensor } from './kind';
import { expectConnected, formatShape } from './shapeRules';

const params = z.object({
  network: z.string().min(1).describe('The critic whose gradient is penalized'),
  weight: z.number().min(0).default(10).describe('λ: the term is λ·E[(‖∇D(x̂)‖₂ − 1)²]'),
});

const withComparisonGradients = new WeakSet<object>();

/**
 * tfjs 4.22 registers no gradient for comparisons, and the gradients of relu and leaky ReLU
 * contain one (a mask from `greater`): differentiating a gradient through them fails with
 * "gradient function not found for Greater". A comparison is piecewise constant, so its
 * gradient is zero wherever it exists.
 */
function registerComparisonGradients(tf: TF): void {
  if (withComparisonGradients.has(tf)) return;
  withComparisonGradients.add(tf);
  for (const kernelName of ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual']) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => ({
        a: () => tf.zerosLike(saved[0]!),
        b: () => tf.zerosLike(saved[1]!),
      }),
    });
  }
}

/**
 * WGAN-GP's gradient penalty (Gulrajani et al., 2017): λ·mean over samples of
 * (‖∇_x̂ D(x̂)‖₂ − 1)², at x̂ = ε·real + (1 − ε)·fake with ε ~ U(0, 1) drawn per sample. The
 * critic is applied to x̂ inside the gradient, so its weights receive the penalty's gradient
 * (a gradient of a gradient).
 */
export const GradientPenaltyNode = defineNodeKind({
  kind: 'GradientPenalty',
  category: 'losses',
  behavior: 'loss',
  description: "WGAN-GP's gradient penalty on a critic, between real and generated images",
  scopes: ['graph'],
  params,
  appliesRole: 'discriminator',
  networkParams: ['network'],
  inputs: () => [
    { name: 'real', type: 'feature', description: 'Real images' },
    { name: 'fake', type: 'feature', description: 'Generated images, as many' },
  ],
  outputs: () => [{ name: 'loss', type: 'loss' }],
  inferShapes(inputs, p, context) {
    const real = expectConnected(inputs.real, 'real');
    const fake = expectConnected(inputs.fake, 'fake');
    if (formatShape(real) !== formatShape(fake)) {
      throw new ShapeError(
        `"fake" must have the shape of "real" (${formatShape(real)}), received ${formatShape(fake)}`,
        'fake',
      );
    }
    context.applyNetwork(p.network, real);
    return { loss: [] };
  },
  apply(tf, inputs, _vars, p, context) {
    const applyNetwork = context.applyNetwork;
    if (!applyNetwork) throw new Error('the gradient penalty needs a network to differentiate');
    registerComparisonGradients(tf);
    const real = inputs.real!;
    const fake = inputs.fake!;
    const [n = 1, ...sample] = real.shape;
    const epsilon = tf.randomUniform([n, ...sample.map(() => 1)], 0, 1, 'float32', context.seed());
    const mixed = tf.add(tf.mul(epsilon, real), tf.mul(tf.sub(1, epsilon), fake));
    const gradient = tf.grad((x: Tensor) => tf.sum(applyNetwork(p.network, x)))(mixed);
    const axes = sample.map((_, i) => i + 1);
    const norms = tf.sqrt(tf.sum(tf.square(gradient), axes));
    return { loss: tf.mul(tf.mean(tf.square(tf.sub(norms, 1))), p.weight) };
  },
});
