import { z } from 'zod';
import { defineNodeKind, ShapeError } from './kind';
import { padSpatialGraph } from './graphOps';
import { expectImageLike, formatShape } from './shapeRules';
import { reflectionPad } from './tensorOps';

const params = z.object({
  padding: z
    .number()
    .int()
    .nonnegative()
    // The reference pads 1 or 3; the input must be larger than the padding anyway.
    .max(64)
    .default(1)
    .describe('Rows and columns added on each side'),
});

/** Pads by mirroring the border (PyTorch's ReflectionPad2d), as the reference generators do. */
export const ReflectionPadNode = defineNodeKind({
  kind: 'ReflectionPad',
  category: 'layers',
  behavior: 'layer',
  description: 'Pads height and width by reflecting the border',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs, p) {
    const [n, h, w, c] = expectImageLike(inputs.in, 'in');
    if (p.padding >= h || p.padding >= w) {
      throw new ShapeError(
        `reflection padding ${p.padding} needs an input larger than ${p.padding} on each side, received ${formatShape([n, h, w, c])}`,
        'in',
      );
    }
    return { out: [n, h + 2 * p.padding, w + 2 * p.padding, c] };
  },
  apply: (tf, inputs, _vars, p) => ({ out: reflectionPad(tf, inputs.in!, p.padding) }),
  // MirrorPad's gradient is what reflectionPad avoids; an exported graph only runs forward.
  exportGraph: (graph, inputs, _vars, p, shapes) => ({
    out: padSpatialGraph(graph, inputs.in!, shapes.inputs.in!, p.padding, 'reflect'),
  }),
});
