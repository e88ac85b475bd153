/**
 * DiscoGAN's generator (Kim et al., 2017; SKTBrain/DiscoGAN): an encoder of 4×4 stride-2
 * convolutions with LeakyReLU 0.2 (batch norm from the second) down to 4×4, a decoder of 4×4
 * stride-2 transposed convolutions with batch norm and ReLU back up, tanh for images in [-1, 1].
 */
import { z } from 'zod';
import {
  BodyBuilder,
  widestLayerFits,
  channels,
  powerOfTwo,
  stridesTo4,
  width,
  sequentialIds,
} from './blocks';
import { definePreset } from './preset';

export const encoderDecoder = definePreset({
  role: 'generator',
  description: 'DiscoGAN generator: convolutions down to 4×4, transposed convolutions back',
  params: z
    .object({
      size: powerOfTwo.default(64),
      ngf: width.default(64),
      output_nc: channels.default(3),
      norm: z.enum(['batch', 'none']).default('batch'),
    })
    .strict()
    .refine(...widestLayerFits('ngf')),
  build(p) {
    const b = new BodyBuilder();
    const bias = p.norm === 'none';
    const n = stridesTo4(p.size);
    const id = sequentialIds('main');
    for (let k = 0; k < n; k++) {
      b.add(id(), 'Conv', { filters: p.ngf * 2 ** k, kernel: 4, stride: 2, padding: 1, bias });
      if (k > 0 && p.norm === 'batch') b.add(id(), 'BatchNorm');
      b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
    }
    const up = { kernel: 4, stride: 2, padding: 1, transposed: true };
    for (let k = n - 2; k >= 0; k--) {
      b.add(id(), 'Conv', { ...up, filters: p.ngf * 2 ** k, bias });
      if (p.norm === 'batch') b.add(id(), 'BatchNorm');
      b.add(id(), 'Activation', { fn: 'relu' });
    }
    b.add(id(), 'Conv', { ...up, filters: p.output_nc, bias: false });
    b.add(id(), 'Activation', { fn: 'tanh' });
    return b.finish();
  },
});
