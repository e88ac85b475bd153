import { z } from 'zod';
import { defineNodeKind, ShapeError } from './kind';
import { expectConnected, formatShape } from './shapeRules';

const params = z.object({});

/** The element-wise sum of two tensors of one shape (a residual connection drawn by hand). */
export const AddNode = defineNodeKind({
  kind: 'Add',
  category: 'layers',
  behavior: 'layer',
  description: 'Sums two tensors of the same shape, element by element',
  scopes: ['network'],
  params,
  inputs: () => [
    { name: 'a', type: 'feature' },
    { name: 'b', type: 'feature' },
  ],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs) {
    const a = expectConnected(inputs.a, 'a');
    const b = expectConnected(inputs.b, 'b');
    if (formatShape(a) !== formatShape(b)) {
      throw new ShapeError(
        `"b" must have the shape of "a" (${formatShape(a)}), received ${formatShape(b)}`,
        'b',
      );
    }
    return { out: a };
  },
  apply: (tf, inputs) => ({ out: tf.add(inputs.a!, inputs.b!) }),
  exportGraph: (graph, inputs) => ({ out: graph.op('AddV2', [inputs.a!, inputs.b!]) }),
});
