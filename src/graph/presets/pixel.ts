import { z } from 'zod';
import { BodyBuilder, Norm, convBias, width } from './blocks';
import { definePreset } from './preset';

export const pixel = definePreset({
  role: 'discriminator',
  description: '1×1 PixelGAN discriminator: judges each pixel',
  params: z.object({ ndf: width.default(64), norm: Norm.default('instance') }).strict(),
  build(p) {
    const b = new BodyBuilder();
    const bias = convBias(p.norm);
    b.add('net.0', 'Conv', { filters: p.ndf, kernel: 1 });
    b.add('net.1', 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
    b.add('net.2', 'Conv', { filters: p.ndf * 2, kernel: 1, bias });
    b.norm('net.3', p.norm);
    b.add('net.4', 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
    b.add('net.5', 'Conv', { filters: 1, kernel: 1, bias });
    return b.finish();
  },
});
