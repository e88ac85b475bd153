import { z } from 'zod';
import { defineNodeKind } from './kind';

/** Latents of 100 to 512 values are usual; a batch of 1,024 is as many as a Dataset gives. */
const params = z.object({
  dim: z.number().int().min(1).max(65536).default(100).describe('Values per sample (latent size)'),
  batchSize: z.number().int().min(1).max(1024).default(1),
  distribution: z
    .enum(['normal', 'uniform'])
    .default('normal')
    .describe('Standard normal, or uniform in [-1, 1]'),
});

/** Fresh random vectors every step, N×dim, that a generator turns into images. */
export const NoiseNode = defineNodeKind({
  kind: 'Noise',
  category: 'data',
  behavior: 'noise',
  description: 'Random vectors (latent codes), fresh every step',
  scopes: ['graph'],
  params,
  inputs: () => [],
  outputs: () => [{ name: 'out', type: 'noise', description: 'batchSize×dim random values' }],
  inferShapes: (_inputs, p) => ({ out: [p.batchSize, p.dim] }),
});
