import { z } from 'zod';
import { BodyBuilder, Norm, convBias, width, sequentialIds } from './blocks';
import { definePreset } from './preset';

export const patchgan = definePreset({
  role: 'discriminator',
  description: 'PatchGAN discriminator (n_layers 3 is the 70×70 PatchGAN)',
  params: z
    .object({
      ndf: width.default(64),
      n_layers: z.number().int().min(1).max(8).default(3),
      norm: Norm.default('instance'),
    })
    .strict(),
  build(p) {
    const b = new BodyBuilder();
    const bias = convBias(p.norm);
    const id = sequentialIds('model');
    b.add(id(), 'Conv', { filters: p.ndf, kernel: 4, stride: 2, padding: 1 });
    b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
    for (let n = 1; n <= p.n_layers; n++) {
      const mult = Math.min(2 ** n, 8);
      const stride = n < p.n_layers ? 2 : 1;
      b.add(id(), 'Conv', { filters: p.ndf * mult, kernel: 4, stride, padding: 1, bias });
      b.norm(id(), p.norm);
      b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
    }
    b.add(id(), 'Conv', { filters: 1, kernel: 4, stride: 1, padding: 1 });
    return b.finish();
  },
});
