import { z } from 'zod';
import { defineNodeKind, ShapeError, type Category } from './kind';
import { expectConnected, formatShape } from './shapeRules';

const params = z.object({
  network: z
    .string()
    .min(1)
    .describe('The network applied; its weights are shared by every application'),
});

const common = {
  category: 'networks' as Category,
  role: 'network' as const,
  scopes: ['graph'] as const,
  params,
  inputs: () => [{ name: 'in', type: 'feature' as const }],
};

/**
 * One application of a generator network. The network's weights live once, in the document's
 * `networks`; every Generator node naming it applies the same weights.
 */
export const GeneratorNode = defineNodeKind({
  ...common,
  kind: 'Generator',
  description: 'Applies a generator network; all applications of one network share its weights',
  outputs: () => [{ name: 'out', type: 'image' as const }],
  inferShapes(inputs, p, context) {
    const out = context.applyNetwork(p.network, expectConnected(inputs.in, 'in'));
    const channels = out[out.length - 1];
    if (out.length !== 4 || (channels !== 1 && channels !== 3)) {
      throw new ShapeError(
        `generator "${p.network}" must produce images N×H×W×1 or N×H×W×3, produces ${formatShape(out)}`,
      );
    }
    return { out };
  },
});

/** One application of a discriminator network (a critic): image in, realness scores out. */
export const DiscriminatorNode = defineNodeKind({
  ...common,
  kind: 'Discriminator',
  description: 'Applies a discriminator network; all applications of one network share its weights',
  outputs: () => [{ name: 'out', type: 'feature' as const }],
  inferShapes: (inputs, p, context) => ({
    out: context.applyNetwork(p.network, expectConnected(inputs.in, 'in')),
  }),
});
