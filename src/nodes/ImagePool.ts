import { z } from 'zod';
import { defineNodeKind } from './kind';
import { expectImageLike } from './shapeRules';

/** The reference keeps 50; 10,000 images of 256×256 already weigh 7.3 GiB. */
const params = z.object({
  size: z.number().int().min(0).max(10000).default(50).describe('Images kept; 0 passes through'),
});

/**
 * The reference's history of generated images: the discriminator sees a mix of the newest fakes
 * and older ones. While not full, store and return each new image; when full, with probability
 * 0.5 return a stored image and store the new one in its place, else return the new image.
 */
export const ImagePoolNode = defineNodeKind({
  kind: 'ImagePool',
  category: 'training',
  behavior: 'pool',
  description: 'Returns a mix of new and earlier generated images (history of fakes)',
  scopes: ['graph'],
  params,
  inputs: () => [{ name: 'in', type: 'image' }],
  outputs: () => [{ name: 'out', type: 'image' }],
  inferShapes: (inputs) => ({ out: expectImageLike(inputs.in, 'in') }),
});
