/**
 * PyTorch-GAN's MLP generator (gan.py, wgan.py): Linear + LeakyReLU 0.2 layers doubling from
 * ngf, batch norm after all but the first, a Linear to every pixel, tanh.
 */
import { z } from 'zod';
import { BodyBuilder, channels, denseImageSize, width, sequentialIds } from './blocks';
import { definePreset } from './preset';

export const mlpGenerator = definePreset({
  role: 'generator',
  description: 'Multilayer perceptron generator: noise to size×size images (GAN, WGAN)',
  params: z
    .object({
      size: denseImageSize.default(28),
      output_nc: channels.default(1),
      ngf: width.default(128).describe('Units of the first hidden layer, doubling after'),
      n_layers: z.number().int().min(1).max(8).default(4),
      norm: z.enum(['batch', 'none']).default('batch'),
    })
    .strict(),
  build(p) {
    const b = new BodyBuilder();
    const id = sequentialIds('model');
    for (let n = 0; n < p.n_layers; n++) {
      b.add(id(), 'Dense', { units: p.ngf * 2 ** n });
      if (n > 0 && p.norm === 'batch') b.add(id(), 'BatchNorm');
      b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
    }
    b.add(id(), 'Dense', { units: p.size * p.size * p.output_nc });
    b.add(id(), 'Activation', { fn: 'tanh' });
    b.add('view', 'Reshape', { shape: [p.size, p.size, p.output_nc] });
    return b.finish();
  },
});
