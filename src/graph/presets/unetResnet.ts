/**
 * The U-Net of TensorFlow's pix2pix and CycleGAN tutorials (4×4 stride-2 convolutions with
 * norm and LeakyReLU 0.2 down to 1×1 at 256, no norm on the first; 4×4 stride-2 transposed
 * convolutions with norm, dropout 0.5 on the three innermost, and ReLU up, each joined with the
 * encoder's activation of its size; a last transposed convolution to output_nc and tanh), with
 * n_blocks residual blocks at the bottleneck. TensorFlow's 'same' padding is PyTorch's padding 1
 * for these 4×4 stride-2 convolutions on even sizes.
 */
import { z } from 'zod';
import { BodyBuilder, Norm, channels, convBias, width } from './blocks';
import { definePreset } from './preset';

export const unetResnet = definePreset({
  role: 'generator',
  description: 'U-Net generator with residual blocks at its bottleneck',
  params: z
    .object({
      num_downs: z.number().int().min(2).max(12).default(8),
      ngf: width.default(64),
      n_blocks: z.number().int().min(0).max(64).default(3),
      norm: Norm.default('batch'),
      use_dropout: z.boolean().default(true),
      output_nc: channels.default(3),
    })
    .strict(),
  build(p) {
    const b = new BodyBuilder();
    const bias = convBias(p.norm);
    const channels = (level: number) => p.ngf * Math.min(2 ** level, 8);
    const skips: string[] = [];
    for (let level = 0; level < p.num_downs; level++) {
      const at = (index: number) => `down.${level}.${index}`;
      b.add(at(0), 'Conv', { filters: channels(level), kernel: 4, stride: 2, padding: 1, bias });
      if (level > 0) b.norm(at(1), p.norm);
      skips.push(b.add(at(2), 'Activation', { fn: 'leaky_relu', alpha: 0.2 }));
    }
    for (let k = 0; k < p.n_blocks; k++) {
      b.add(`bottleneck.${k}`, 'Residual', { norm: p.norm, padding: 'zero', bias });
    }
    for (let level = p.num_downs - 2; level >= 0; level--) {
      const at = (index: number) => `up.${level}.${index}`;
      b.add(at(0), 'Conv', {
        filters: channels(level),
        kernel: 4,
        stride: 2,
        padding: 1,
        transposed: true,
        bias,
      });
      b.norm(at(1), p.norm);
      if (p.use_dropout && level >= p.num_downs - 4) b.add(at(2), 'Dropout', { rate: 0.5 });
      b.add(at(3), 'Activation', { fn: 'relu' });
      b.concat(at(4), b.last, skips[level]!);
    }
    b.add('last.0', 'Conv', {
      filters: p.output_nc,
      kernel: 4,
      stride: 2,
      padding: 1,
      transposed: true,
    });
    b.add('last.1', 'Activation', { fn: 'tanh' });
    return b.finish();
  },
});
