/** PyTorch-GAN's MLP discriminator: Linear + LeakyReLU 0.2 layers halving down to ndf, one score. */
import { z } from 'zod';
import { BodyBuilder, width, sequentialIds } from './blocks';
import { definePreset } from './preset';

export const mlpDiscriminator = definePreset({
  role: 'discriminator',
  description: 'Multilayer perceptron discriminator: flattened image to one score',
  params: z
    .object({
      ndf: width.default(256).describe('Units of the last hidden layer, doubling before'),
      n_layers: z.number().int().min(1).max(8).default(2),
    })
    .strict(),
  build(p) {
    const b = new BodyBuilder();
    const id = sequentialIds('model');
    b.add('view', 'Flatten');
    for (let n = p.n_layers - 1; n >= 0; n--) {
      b.add(id(), 'Dense', { units: p.ndf * 2 ** n });
      b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
    }
    b.add(id(), 'Dense', { units: 1 });
    return b.finish();
  },
});
