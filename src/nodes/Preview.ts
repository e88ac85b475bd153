import { z } from 'zod';
import { defineNodeKind } from './kind';
import { expectImageLike } from './shapeRules';

const params = z.object({});

/** Marks a tensor to show as samples while training. */
export const PreviewNode = defineNodeKind({
  kind: 'Preview',
  category: 'training',
  behavior: 'preview',
  description: 'Shows the images on its input as samples',
  scopes: ['graph'],
  params,
  inputs: () => [{ name: 'in', type: 'image' }],
  outputs: () => [],
  inferShapes(inputs) {
    expectImageLike(inputs.in, 'in');
    return {};
  },
});
