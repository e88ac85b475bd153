import { z } from 'zod';
import { defineNodeKind, ShapeError } from './kind';
import { expectConnected, formatShape } from './shapeRules';

const params = z.object({});

/**
 * N×… to N×(product of the rest), in TensorFlow's NHWC order: a following Dense layer's weight
 * rows are ordered H, W, C, where PyTorch's nn.Flatten on NCHW orders them C, H, W.
 */
export const FlattenNode = defineNodeKind({
  kind: 'Flatten',
  category: 'layers',
  behavior: 'layer',
  description: 'Turns each sample into a vector',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs) {
    const shape = expectConnected(inputs.in, 'in');
    if (shape.length < 2) {
      throw new ShapeError(
        `input "in" must have a batch axis and at least one more, received ${formatShape(shape)}`,
        'in',
      );
    }
    const [n, ...sample] = shape;
    return { out: [n!, sample.reduce((a, b) => a * b, 1)] };
  },
  apply: (tf, inputs) => ({ out: tf.reshape(inputs.in!, [inputs.in!.shape[0]!, -1]) }),
  exportGraph: (graph, inputs, _vars, _p, shapes) => ({
    out: graph.op('Reshape', [inputs.in!, graph.intConst([-1, shapes.outputs.out![1]!])]),
  }),
});
