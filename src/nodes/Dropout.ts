import { z } from 'zod';
import { defineNodeKind } from './kind';
import { expectConnected } from './shapeRules';

const params = z.object({
  rate: z.number().gt(0).lt(1).default(0.5).describe('Fraction of values zeroed while training'),
});

/**
 * PyTorch's Dropout: while training, zeroes each value with probability `rate` and scales the
 * others by 1 / (1 - rate); otherwise passes its input through.
 */
export const DropoutNode = defineNodeKind({
  kind: 'Dropout',
  category: 'layers',
  behavior: 'layer',
  description: 'Zeroes random values while training',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes: (inputs) => ({ out: expectConnected(inputs.in, 'in') }),
  apply: (tf, inputs, _vars, p, context) => ({
    out: context.training ? tf.dropout(inputs.in!, p.rate, undefined, context.seed()) : inputs.in!,
  }),
  exportGraph: (_graph, inputs) => ({ out: inputs.in! }),
});
