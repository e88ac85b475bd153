import { z } from 'zod';
import { attr } from './graphDef';
import { defineNodeKind, ShapeError, type Tensor, type TF } from './kind';
import { expectConnected, formatShape } from './shapeRules';

const params = z.object({
  distance: z
    .enum(['l1', 'l2'])
    .default('l2')
    .describe('Mean absolute (BEGAN) or mean squared (EBGAN) difference'),
  target_gradient: z
    .boolean()
    .default(true)
    .describe(
      'Whether gradients flow into what was reconstructed, as well as through the reconstruction (PyTorch-GAN: yes for BEGAN, no for EBGAN, which detaches it)',
    ),
});

/** x as a constant to differentiation (tfjs has no stop-gradient op). */
function detach(tf: TF, x: Tensor): Tensor {
  return tf.customGrad((...args) => ({
    value: tf.clone(args[0] as Tensor),
    gradFunc: (dy: Tensor) => tf.zerosLike(dy),
  }))(x);
}

/**
 * An autoencoder discriminator's energy: how badly it reconstructs each sample, the mean over a
 * sample's values of |in − target| or (in − target)². EBGAN's D(x) and BEGAN's L(x); the mean
 * of these over a batch is the reference implementations' pixel-wise loss.
 */
export const EnergyNode = defineNodeKind({
  kind: 'Energy',
  category: 'layers',
  behavior: 'layer',
  description: 'Reconstruction error per sample (N×1): the energy of an autoencoder discriminator',
  scopes: ['network'],
  params,
  inputs: () => [
    { name: 'in', type: 'feature', description: 'The reconstruction' },
    { name: 'target', type: 'feature', description: 'What was reconstructed' },
  ],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs) {
    const shape = expectConnected(inputs.in, 'in');
    const target = expectConnected(inputs.target, 'target');
    if (formatShape(shape) !== formatShape(target)) {
      throw new ShapeError(
        `"target" must have the shape of "in" (${formatShape(shape)}), received ${formatShape(target)}`,
        'target',
      );
    }
    return { out: [shape[0]!, 1] };
  },
  apply(tf, inputs, _vars, p) {
    const target = p.target_gradient ? inputs.target! : detach(tf, inputs.target!);
    const diff = tf.sub(inputs.in!, target);
    const values = p.distance === 'l1' ? tf.abs(diff) : tf.square(diff);
    return { out: tf.mean(tf.reshape(values, [diff.shape[0]!, -1]), 1, true) };
  },
  exportGraph(graph, inputs, _vars, p, shapes) {
    const diff = graph.op('Sub', [inputs.in!, inputs.target!]);
    const values = graph.op(p.distance === 'l1' ? 'Abs' : 'Square', [diff]);
    const size = shapes.inputs.in!.slice(1).reduce((a, b) => a * b, 1);
    const flat = graph.op('Reshape', [values, graph.intConst([-1, size])]);
    return {
      out: graph.op('Mean', [flat, graph.intConst([1])], { keep_dims: attr.bool(true) }),
    };
  },
});
