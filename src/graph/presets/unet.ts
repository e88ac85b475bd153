/**
 * The reference's recursive UnetSkipConnectionBlock, unrolled. Each level's modules sit at
 * `<prefix>model.<index>`, its inner level at `<prefix>model.<index of the submodule>.`.
 */
import { z } from 'zod';
import { BodyBuilder, Norm, channels, convBias, width } from './blocks';
import { definePreset } from './preset';

export const unet = definePreset({
  role: 'generator',
  description: 'U-Net generator with skip connections (num_downs 7 for 128², 8 for 256²)',
  params: z
    .object({
      num_downs: z.number().int().min(5).max(12).default(8),
      ngf: width.default(64),
      norm: Norm.default('instance'),
      use_dropout: z.boolean().default(false),
      output_nc: channels.default(3),
    })
    .strict(),
  build(p) {
    const b = new BodyBuilder();
    const bias = convBias(p.norm);
    // Channels per level, outermost first: [outer, inner].
    const levels: [number, number][] = [
      [p.output_nc, p.ngf],
      [p.ngf, p.ngf * 2],
      [p.ngf * 2, p.ngf * 4],
      [p.ngf * 4, p.ngf * 8],
    ];
    for (let k = 0; k < p.num_downs - 5; k++) levels.push([p.ngf * 8, p.ngf * 8]);
    levels.push([p.ngf * 8, p.ngf * 8]);
    const last = levels.length - 1;

    // Going down, remember each level's prefix and the tensor its skip connection carries.
    const prefixes: string[] = [];
    const skips: string[] = [];
    let prefix = 'model.';
    for (let level = 0; level <= last; level++) {
      prefixes.push(prefix);
      const inner = levels[level]![1];
      const at = (index: number) => `${prefix}model.${index}`;
      if (level === 0) {
        b.add(at(0), 'Conv', { filters: inner, kernel: 4, stride: 2, padding: 1, bias });
      } else {
        // The reference's in-place LeakyReLU also rewrites the tensor its skip connection
        // concatenates, so the skip carries LeakyReLU(x), not x.
        skips.push(b.add(at(0), 'Activation', { fn: 'leaky_relu', alpha: 0.2 }));
        b.add(at(1), 'Conv', { filters: inner, kernel: 4, stride: 2, padding: 1, bias });
        if (level !== last) b.norm(at(2), p.norm);
      }
      prefix = `${prefix}model.${level === 0 ? 1 : 3}.`;
    }
    for (let level = last; level >= 0; level--) {
      const [outer] = levels[level]!;
      const at = (index: number) => `${prefixes[level]}model.${index}`;
      const up = level === 0 ? 2 : level === last ? 2 : 4;
      const upConv = { filters: outer, kernel: 4, stride: 2, padding: 1, transposed: true };
      b.add(at(up), 'Activation', { fn: 'relu' });
      b.add(at(up + 1), 'Conv', { ...upConv, outputPadding: 0, bias: level === 0 ? true : bias });
      if (level === 0) {
        b.add(at(up + 2), 'Activation', { fn: 'tanh' });
      } else {
        b.norm(at(up + 2), p.norm);
        // Only the repeated ngf*8 blocks get dropout in the reference.
        if (p.use_dropout && level >= 4 && level !== last) {
          b.add(at(up + 3), 'Dropout', { rate: 0.5 });
        }
        b.concat(`${prefixes[level]}skip`, skips[level - 1]!, b.last);
      }
    }
    return b.finish();
  },
});
