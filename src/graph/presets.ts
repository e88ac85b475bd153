/**
 * Network presets: the reference implementation's generators and discriminators, written out as
 * layer bodies. Layer ids are the reference's module paths (`model.1`, `model.10`,
 * `model.model.1.model.3.model.1`), so a weight is named `<network>.<layer id>.<weight>` exactly
 * as in the reference's state_dict, and its checkpoints import by name.
 */
import { z } from 'zod';
import type { BodyDocument, EdgeDocument, NodeDocument } from './document';

const Norm = z.enum(['instance', 'batch', 'none']);
type Norm = z.infer<typeof Norm>;

const positive = z.number().int().positive();

export const PRESETS = {
  resnet: {
    role: 'generator',
    description: 'ResNet generator: 2 down-samplings, residual blocks, 2 up-samplings',
    params: z
      .object({
        ngf: positive.default(64),
        n_blocks: z.number().int().min(0).max(64).default(9),
        norm: Norm.default('instance'),
        use_dropout: z.boolean().default(false),
        padding_type: z.enum(['reflect', 'replicate', 'zero']).default('reflect'),
        output_nc: positive.default(3),
      })
      .strict(),
  },
  unet: {
    role: 'generator',
    description: 'U-Net generator with skip connections (num_downs 7 for 128², 8 for 256²)',
    params: z
      .object({
        num_downs: z.number().int().min(5).max(12).default(8),
        ngf: positive.default(64),
        norm: Norm.default('instance'),
        use_dropout: z.boolean().default(false),
        output_nc: positive.default(3),
      })
      .strict(),
  },
  patchgan: {
    role: 'discriminator',
    description: 'PatchGAN discriminator (n_layers 3 is the 70×70 PatchGAN)',
    params: z
      .object({
        ndf: positive.default(64),
        n_layers: z.number().int().min(1).max(8).default(3),
        norm: Norm.default('instance'),
      })
      .strict(),
  },
  pixel: {
    role: 'discriminator',
    description: '1×1 PixelGAN discriminator: judges each pixel',
    params: z.object({ ndf: positive.default(64), norm: Norm.default('instance') }).strict(),
  },
} as const;

export type PresetName = keyof typeof PRESETS;

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

/** Builds a body as a chain of layers with explicit ids; `from` defaults to the previous one. */
class BodyBuilder {
  readonly nodes: NodeDocument[] = [{ id: 'input', kind: 'Input' }];
  readonly edges: EdgeDocument[] = [];
  last = 'input';

  add(id: string, kind: string, params: Record<string, unknown> = {}, from = this.last): string {
    this.nodes.push({ id, kind, params });
    this.edges.push({ source: from, sourcePort: 'out', target: id, targetPort: 'in' });
    this.last = id;
    return id;
  }

  /** A norm layer, or nothing for "none" (the reference's Identity still takes its index). */
  norm(id: string, norm: Norm) {
    if (norm === 'instance') this.add(id, 'InstanceNorm');
    if (norm === 'batch') this.add(id, 'BatchNorm');
  }

  concat(id: string, a: string, b: string): string {
    this.nodes.push({ id, kind: 'Concat' });
    this.edges.push({ source: a, sourcePort: 'out', target: id, targetPort: 'a' });
    this.edges.push({ source: b, sourcePort: 'out', target: id, targetPort: 'b' });
    this.last = id;
    return id;
  }

  finish(): BodyDocument {
    this.add('output', 'Output');
    this.nodes.forEach((n, i) => (n.position = { x: 0, y: i * 90 }));
    return { nodes: this.nodes, edges: this.edges };
  }
}

/** The reference uses conv biases only with instance norm (batch norm has its own shift). */
const convBias = (norm: Norm) => norm === 'instance';

function resnet(p: z.infer<(typeof PRESETS)['resnet']['params']>): BodyDocument {
  const b = new BodyBuilder();
  const bias = convBias(p.norm);
  let i = 0;
  const id = () => `model.${i++}`;
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
}

/**
 * The reference's recursive UnetSkipConnectionBlock, unrolled. Each level's modules sit at
 * `<prefix>model.<index>`, its inner level at `<prefix>model.<index of the submodule>.`.
 */
function unet(p: z.infer<(typeof PRESETS)['unet']['params']>): BodyDocument {
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
}

function patchgan(p: z.infer<(typeof PRESETS)['patchgan']['params']>): BodyDocument {
  const b = new BodyBuilder();
  const bias = convBias(p.norm);
  let i = 0;
  const id = () => `model.${i++}`;
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
}

function pixel(p: z.infer<(typeof PRESETS)['pixel']['params']>): BodyDocument {
  const b = new BodyBuilder();
  const bias = convBias(p.norm);
  b.add('net.0', 'Conv', { filters: p.ndf, kernel: 1 });
  b.add('net.1', 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
  b.add('net.2', 'Conv', { filters: p.ndf * 2, kernel: 1, bias });
  b.norm('net.3', p.norm);
  b.add('net.4', 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
  b.add('net.5', 'Conv', { filters: 1, kernel: 1, bias });
  return b.finish();
}

export type PresetResult =
  | { ok: true; body: BodyDocument }
  | { ok: false; problems: { path: (string | number)[]; message: string }[] };

/** Expands a preset whose params are already resolved to values. */
export function expandPreset(name: string, params: Record<string, unknown>): PresetResult {
  if (!isPresetName(name)) {
    return {
      ok: false,
      problems: [
        {
          path: ['name'],
          message: `unknown preset "${name}"; known: ${Object.keys(PRESETS).join(', ')}`,
        },
      ],
    };
  }
  const parsed = PRESETS[name].params.safeParse(params);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        path: ['params', ...issue.path.map(String)],
        message:
          issue.code === 'unrecognized_keys'
            ? `unknown preset param ${issue.keys.map((k) => `"${k}"`).join(', ')}`
            : issue.message,
      })),
    };
  }
  switch (name) {
    case 'resnet':
      return { ok: true, body: resnet(parsed.data as never) };
    case 'unet':
      return { ok: true, body: unet(parsed.data as never) };
    case 'patchgan':
      return { ok: true, body: patchgan(parsed.data as never) };
    case 'pixel':
      return { ok: true, body: pixel(parsed.data as never) };
  }
}
