/**
 * The DCGAN discriminator (also DiscoGAN's): 4×4 stride-2 convolutions doubling from ndf with
 * LeakyReLU 0.2, batch norm from the second, down to 4×4, then a 4×4 convolution to one score
 * (a logit: the losses apply the sigmoid).
 */
import { z } from 'zod';
import {
  BodyBuilder,
  widestLayerFits,
  powerOfTwo,
  stridesTo4,
  width,
  sequentialIds,
} from './blocks';
import { definePreset } from './preset';

export const dcganDiscriminator = definePreset({
  role: 'discriminator',
  description: 'DCGAN discriminator: stride-2 convolutions down to 4×4, then one score',
  params: z
    .object({
      size: powerOfTwo.default(64),
      ndf: width.default(64),
      norm: z.enum(['batch', 'none']).default('batch'),
    })
    .strict()
    .refine(...widestLayerFits('ndf')),
  build(p) {
    const b = new BodyBuilder();
    const bias = p.norm === 'none';
    const id = sequentialIds('main');
    for (let k = 0; k < stridesTo4(p.size); k++) {
      b.add(id(), 'Conv', { filters: p.ndf * 2 ** k, kernel: 4, stride: 2, padding: 1, bias });
      if (k > 0 && p.norm === 'batch') b.add(id(), 'BatchNorm');
      b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
    }
    b.add(id(), 'Conv', { filters: 1, kernel: 4, bias: false });
    return b.finish();
  },
});
