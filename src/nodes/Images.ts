import { z } from 'zod';
import { defineNodeKind } from './kind';

/** Sizes up to 4096 and batches up to 1,024, as a Dataset's. */
const params = z.object({
  source: z
    .string()
    .min(1)
    .default('builtin:mnist')
    .describe('builtin:<name> (a two-domain set gives its domain A)'),
  size: z.number().int().min(4).max(4096).describe('Images are resized to size×size'),
  channels: z.union([z.literal(1), z.literal(3)]).default(1),
  batchSize: z.number().int().min(1).max(1024).default(64),
  flip: z.boolean().default(false).describe('Random horizontal flips'),
});

/**
 * One stream of real images, as batches of N×size×size×channels in [-1, 1]: what a GAN that
 * generates from noise learns to imitate (MNIST digits). Dataset gives two domains, for
 * translation.
 */
export const ImagesNode = defineNodeKind({
  kind: 'Images',
  category: 'data',
  behavior: 'dataset',
  description: 'Batches of real images from one set (MNIST digits)',
  scopes: ['graph'],
  params,
  inputs: () => [],
  outputs: () => [{ name: 'real', type: 'image', description: 'Real images' }],
  inferShapes: (_inputs, p) => ({ real: [p.batchSize, p.size, p.size, p.channels] }),
});
