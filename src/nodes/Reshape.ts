import { z } from 'zod';
import { DENSE_MAX_UNITS } from './Dense';
import { defineNodeKind, ShapeError } from './kind';
import { expectConnected, formatShape } from './shapeRules';

/**
 * A sample is a vector or an H×W×C image: at most 3 axes, each at most Dense's 262,144 units
 * (what a reshape after a Dense layer receives).
 */
const params = z.object({
  shape: z
    .array(z.number().int().positive().max(DENSE_MAX_UNITS))
    .min(1)
    .max(3)
    .describe('The shape of each sample, without the batch axis: [4, 4, 256] (H×W×C) or [784]'),
});

const product = (sizes: readonly number[]) => sizes.reduce((a, b) => a * b, 1);

/**
 * Gives each sample a new shape with the same number of values. Values keep TensorFlow's
 * row-major NHWC order, not PyTorch's NCHW: a PyTorch view(N, 256, 4, 4) is shape [4, 4, 256]
 * here only up to a transposition of the values.
 */
export const ReshapeNode = defineNodeKind({
  kind: 'Reshape',
  category: 'layers',
  behavior: 'layer',
  description: 'Gives each sample a new shape with the same number of values',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs, p) {
    const shape = expectConnected(inputs.in, 'in');
    const [n = 0, ...sample] = shape;
    if (product(sample) !== product(p.shape)) {
      throw new ShapeError(
        `cannot reshape ${formatShape(shape)} to N×${formatShape(p.shape)}: each sample has ${product(sample)} values, the new shape ${product(p.shape)}`,
        'in',
      );
    }
    return { out: [n, ...p.shape] };
  },
  apply: (tf, inputs, _vars, p) => ({
    out: tf.reshape(inputs.in!, [inputs.in!.shape[0]!, ...p.shape]),
  }),
  exportGraph: (graph, inputs, _vars, p) => ({
    out: graph.op('Reshape', [inputs.in!, graph.intConst([-1, ...p.shape])]),
  }),
});
