import { z } from 'zod';
import { defineNodeKind, ShapeError } from './kind';

/**
 * Sizes up to 4096 (the reference trains at 256; pix2pixHD at 2048) and batches up to 1,024
 * (DCGAN's is 128): what is over the device's memory at these is the budget check's to refuse.
 */
const params = z.object({
  source: z
    .string()
    .min(1)
    .default('builtin:daynight')
    .describe('builtin:<name>, or a folder with trainA/ and trainB/'),
  size: z.number().int().min(4).max(4096).describe('Crop size fed to the networks'),
  loadSize: z
    .number()
    .int()
    .min(4)
    .max(4096)
    .nullable()
    .default(null)
    .describe(
      'Images are resized to loadSize×loadSize, then randomly cropped to size (null: resized to size, no crop)',
    ),
  channels: z.union([z.literal(1), z.literal(3)]).default(3),
  batchSize: z.number().int().min(1).max(1024).default(1),
  flip: z.boolean().default(false).describe('Random horizontal flips'),
});

/**
 * Two image domains, A and B, as batches of N×size×size×channels in [-1, 1]. As the reference's
 * resize_and_crop: each image is resized to loadSize×loadSize, then a random size×size crop is
 * taken (and flipped at random with `flip`).
 */
export const DatasetNode = defineNodeKind({
  kind: 'Dataset',
  category: 'data',
  behavior: 'dataset',
  description: 'Batches of images from two domains, A and B',
  scopes: ['graph'],
  params,
  inputs: () => [],
  outputs: () => [
    { name: 'real_A', type: 'image', description: 'Images of domain A' },
    { name: 'real_B', type: 'image', description: 'Images of domain B' },
  ],
  inferShapes(_inputs, p) {
    if (p.loadSize !== null && p.loadSize < p.size) {
      throw new ShapeError(
        `loadSize: expected at least size (${p.size}) to crop from, received ${p.loadSize}`,
      );
    }
    const shape = [p.batchSize, p.size, p.size, p.channels];
    return { real_A: shape, real_B: shape };
  },
});
