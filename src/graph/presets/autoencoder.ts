/**
 * PyTorch-GAN's BEGAN / EBGAN discriminator: a 3×3 stride-2 convolution and ReLU, a fully
 * connected code (batch norm, ReLU) and back, nearest upsampling and a 3×3 convolution to the
 * image; its output is the energy, the reconstruction error of each sample. Layer `fc.0` gives
 * the code, ebgan.py's `embedding`, which EBGAN's pull-away term compares (an application taps it).
 */
import { z } from 'zod';
import { DENSE_MAX_UNITS } from '../../nodes/Dense';
import { BodyBuilder, channels, denseImageSize, latent, width } from './blocks';
import { definePreset } from './preset';

export const autoencoder = definePreset({
  role: 'discriminator',
  description: 'Autoencoder discriminator (BEGAN, EBGAN): outputs its reconstruction energy',
  params: z
    .object({
      size: denseImageSize.default(32),
      input_nc: channels.default(1),
      ndf: width.default(64),
      code: latent.default(32).describe('Units of the code between encoder and decoder'),
      distance: z.enum(['l1', 'l2']).default('l1'),
      target_gradient: z
        .boolean()
        .default(true)
        .describe('Whether the energy passes gradients into its input as the target too'),
    })
    .strict()
    .refine((p) => p.ndf * Math.floor(p.size / 2) ** 2 <= DENSE_MAX_UNITS, {
      message: `expected ndf·(size/2)², the decoder's units, to be at most ${DENSE_MAX_UNITS}`,
      path: ['ndf'],
    }),
  build(p) {
    const b = new BodyBuilder();
    const half = Math.floor(p.size / 2);
    b.add('down.0', 'Conv', { filters: p.ndf, kernel: 3, stride: 2, padding: 1 });
    b.add('down.1', 'Activation', { fn: 'relu' });
    b.add('flatten', 'Flatten');
    b.add('fc.0', 'Dense', { units: p.code });
    b.add('fc.1', 'BatchNorm');
    b.add('fc.2', 'Activation', { fn: 'relu' });
    b.add('fc.3', 'Dense', { units: p.ndf * half * half });
    b.add('fc.4', 'BatchNorm');
    b.add('fc.5', 'Activation', { fn: 'relu' });
    b.add('view', 'Reshape', { shape: [half, half, p.ndf] });
    b.add('up.0', 'Upsample', { scale: 2 });
    b.add('up.1', 'Conv', { filters: p.input_nc, kernel: 3, padding: 1 });
    b.join(
      'energy',
      'Energy',
      { distance: p.distance, target_gradient: p.target_gradient },
      { in: 'up.1', target: 'input' },
    );
    return b.finish();
  },
});
