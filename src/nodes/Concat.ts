import { z } from 'zod';
import { attr } from './graphDef';
import { defineNodeKind, ShapeError } from './kind';
import { expectConnected, formatShape } from './shapeRules';

const params = z.object({});

/**
 * Joins two tensors along channels (the last axis), as U-Net skip connections do; in the
 * training graph, it pairs pix2pix's condition with an image for the conditional discriminator.
 */
export const ConcatNode = defineNodeKind({
  kind: 'Concat',
  category: 'layers',
  behavior: 'layer',
  description: 'Joins two tensors along channels (skip connections, a conditional pair)',
  scopes: ['network', 'graph'],
  params,
  inputs: () => [
    { name: 'a', type: 'feature', description: 'Its channels come first' },
    { name: 'b', type: 'feature', description: 'Its channels come after those of "a"' },
  ],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs) {
    const a = expectConnected(inputs.a, 'a');
    const b = expectConnected(inputs.b, 'b');
    if (a.length < 2) {
      throw new ShapeError(
        `input "a" must have a batch axis and channels, received ${formatShape(a)}`,
        'a',
      );
    }
    const last = a.length - 1;
    if (b.length !== a.length || a.some((size, i) => i < last && size !== b[i])) {
      throw new ShapeError(
        `"b" must match "a" in all but the last axis (channels): "a" is ${formatShape(a)}, received ${formatShape(b)}`,
        'b',
      );
    }
    return { out: [...a.slice(0, last), a[last]! + b[last]!] };
  },
  apply: (tf, inputs) => ({ out: tf.concat([inputs.a!, inputs.b!], -1) }),
  exportGraph: (graph, inputs) => ({
    out: graph.op('ConcatV2', [inputs.a!, inputs.b!, graph.intConst([-1], [])], {
      N: attr.int(2),
    }),
  }),
});
