import { z } from 'zod';
import { BodyBuilder, Norm, channels, convBias, width, sequentialIds } from './blocks';
import { definePreset } from './preset';

export const resnet = definePreset({
  role: 'generator',
  description: 'ResNet generator: 2 down-samplings, residual blocks, 2 up-samplings',
  params: z
    .object({
      ngf: width.default(64),
      n_blocks: z.number().int().min(0).max(64).default(9),
      norm: Norm.default('instance'),
      use_dropout: z.boolean().default(false),
      padding_type: z.enum(['reflect', 'replicate', 'zero']).default('reflect'),
      output_nc: channels.default(3),
    })
    .strict(),
  build(p) {
    const b = new BodyBuilder();
    const bias = convBias(p.norm);
    const id = sequentialIds('model');
    b.add(id(), 'ReflectionPad', { padding: 3 });
    b.add(id(), 'Conv', { filters: p.ngf, kernel: 7, padding: 0, bias });
    b.norm(id(), p.norm);
    b.add(id(), 'Activation', { fn: 'relu' });
    for (const mult of [1, 2]) {
      b.add(id(), 'Conv', { filters: p.ngf * mult * 2, kernel: 3, stride: 2, padding: 1, bias });
      b.norm(id(), p.norm);
      b.add(id(), 'Activation', { fn: 'relu' });
    }
    for (let k = 0; k < p.n_blocks; k++) {
      b.add(id(), 'Residual', {
        norm: p.norm,
        padding: p.padding_type,
        dropout: p.use_dropout,
        bias,
      });
    }
    for (const mult of [4, 2]) {
      b.add(id(), 'Conv', {
        filters: (p.ngf * mult) / 2,
        kernel: 3,
        stride: 2,
        padding: 1,
        outputPadding: 1,
        transposed: true,
        bias,
      });
      b.norm(id(), p.norm);
      b.add(id(), 'Activation', { fn: 'relu' });
    }
    b.add(id(), 'ReflectionPad', { padding: 3 });
    b.add(id(), 'Conv', { filters: p.output_nc, kernel: 7, padding: 0 });
    b.add(id(), 'Activation', { fn: 'tanh' });
    return b.finish();
  },
});
