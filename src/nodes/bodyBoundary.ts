import { z } from 'zod';
import { defineNodeKind } from './kind';
import { expectConnected } from './shapeRules';

/** Where a network body receives the tensor its application passes in. */
export const InputNode = defineNodeKind({
  kind: 'Input',
  category: 'layers',
  behavior: 'input',
  description: "The network's input",
  scopes: ['network'],
  params: z.object({}),
  inputs: () => [],
  outputs: () => [{ name: 'out', type: 'feature' }],
  // The inference engine gives an Input the shape its application receives.
  inferShapes: (inputs) => ({ out: expectConnected(inputs.in, 'in') }),
});

/** What a network body returns to its application. */
export const OutputNode = defineNodeKind({
  kind: 'Output',
  category: 'layers',
  behavior: 'output',
  description: "The network's output",
  scopes: ['network'],
  params: z.object({}),
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [],
  inferShapes: (inputs) => {
    expectConnected(inputs.in, 'in');
    return {};
  },
});
