/**
 * The DCGAN generator (Radford et al.; PyTorch's examples/dcgan): the noise as a 1×1 image, a
 * 4×4 transposed convolution to ngf·2^(n-1) channels at 4×4, then 4×4 stride-2 transposed
 * convolutions halving the channels, each with batch norm and ReLU, the last to output_nc with
 * tanh. Convolutions have no bias before a batch norm.
 */
import { z } from 'zod';
import {
  BodyBuilder,
  widestLayerFits,
  channels,
  latent,
  powerOfTwo,
  stridesTo4,
  width,
  sequentialIds,
} from './blocks';
import { definePreset } from './preset';

export const dcganGenerator = definePreset({
  role: 'generator',
  description: 'DCGAN generator: noise to 4×4, then stride-2 transposed convolutions',
  params: z
    .object({
      size: powerOfTwo.default(64),
      nz: latent.default(100),
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
    b.add('view', 'Reshape', { shape: [1, 1, p.nz] });
    b.add(id(), 'Conv', { filters: p.ngf * 2 ** (n - 1), kernel: 4, transposed: true, bias });
    for (let k = n - 2; k >= -1; k--) {
      if (p.norm === 'batch') b.add(id(), 'BatchNorm');
      b.add(id(), 'Activation', { fn: 'relu' });
      const filters = k >= 0 ? p.ngf * 2 ** k : p.output_nc;
      b.add(id(), 'Conv', {
        filters,
        kernel: 4,
        stride: 2,
        padding: 1,
        transposed: true,
        bias: k >= 0 ? bias : false,
      });
    }
    b.add(id(), 'Activation', { fn: 'tanh' });
    return b.finish();
  },
});
