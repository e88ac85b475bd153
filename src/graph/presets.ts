/**
 * Network presets: the reference implementation's generators and discriminators, written out as
 * layer bodies. Layer ids are the reference's module paths (`model.1`, `model.10`,
 * `model.model.1.model.3.model.1`), so a weight is named `<network>.<layer id>.<weight>` exactly
 * as in the reference's state_dict, and its checkpoints import by name. The model zoo's presets
 * (multilayer perceptrons, DCGAN, DiscoGAN's encoder-decoder, the BEGAN/EBGAN autoencoder, a
 * U-Net with a residual bottleneck) name their layers after their sources' modules likewise.
 */
import { z } from 'zod';
import { describeIssue, type BodyDocument, type EdgeDocument, type NodeDocument } from './document';

const Norm = z.enum(['instance', 'batch', 'none']);
type Norm = z.infer<typeof Norm>;

const positive = z.number().int().positive();
const powerOfTwo = positive.refine((n) => n >= 8 && (n & (n - 1)) === 0, {
  message: 'expected a power of 2, at least 8',
});

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
  mlp_generator: {
    role: 'generator',
    description: 'Multilayer perceptron generator: noise to size×size images (GAN, WGAN)',
    params: z
      .object({
        size: positive.default(28),
        output_nc: positive.default(1),
        ngf: positive.default(128).describe('Units of the first hidden layer, doubling after'),
        n_layers: z.number().int().min(1).max(8).default(4),
        norm: z.enum(['batch', 'none']).default('batch'),
      })
      .strict(),
  },
  mlp_discriminator: {
    role: 'discriminator',
    description: 'Multilayer perceptron discriminator: flattened image to one score',
    params: z
      .object({
        ndf: positive.default(256).describe('Units of the last hidden layer, doubling before'),
        n_layers: z.number().int().min(1).max(8).default(2),
      })
      .strict(),
  },
  dcgan_generator: {
    role: 'generator',
    description: 'DCGAN generator: noise to 4×4, then stride-2 transposed convolutions',
    params: z
      .object({
        size: powerOfTwo.default(64),
        nz: positive.default(100),
        ngf: positive.default(64),
        output_nc: positive.default(3),
        norm: z.enum(['batch', 'none']).default('batch'),
      })
      .strict(),
  },
  dcgan_discriminator: {
    role: 'discriminator',
    description: 'DCGAN discriminator: stride-2 convolutions down to 4×4, then one score',
    params: z
      .object({
        size: powerOfTwo.default(64),
        ndf: positive.default(64),
        norm: z.enum(['batch', 'none']).default('batch'),
      })
      .strict(),
  },
  encoder_decoder: {
    role: 'generator',
    description: 'DiscoGAN generator: convolutions down to 4×4, transposed convolutions back',
    params: z
      .object({
        size: powerOfTwo.default(64),
        ngf: positive.default(64),
        output_nc: positive.default(3),
        norm: z.enum(['batch', 'none']).default('batch'),
      })
      .strict(),
  },
  autoencoder: {
    role: 'discriminator',
    description: 'Autoencoder discriminator (BEGAN, EBGAN): outputs its reconstruction energy',
    params: z
      .object({
        size: positive.default(32),
        input_nc: positive.default(1),
        ndf: positive.default(64),
        code: positive.default(32).describe('Units of the code between encoder and decoder'),
        distance: z.enum(['l1', 'l2']).default('l1'),
        target_gradient: z
          .boolean()
          .default(true)
          .describe('Whether the energy passes gradients into its input as the target too'),
      })
      .strict(),
  },
  unet_resnet: {
    role: 'generator',
    description: 'U-Net generator with residual blocks at its bottleneck',
    params: z
      .object({
        num_downs: z.number().int().min(2).max(12).default(8),
        ngf: positive.default(64),
        n_blocks: z.number().int().min(0).max(64).default(3),
        norm: Norm.default('batch'),
        use_dropout: z.boolean().default(true),
        output_nc: positive.default(3),
      })
      .strict(),
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

  /** A layer with several inputs: port -> the node it comes from. */
  join(id: string, kind: string, params: Record<string, unknown>, from: Record<string, string>) {
    this.nodes.push({ id, kind, params });
    for (const [port, source] of Object.entries(from)) {
      this.edges.push({ source, sourcePort: 'out', target: id, targetPort: port });
    }
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

/** Stride-2 layers between size×size and 4×4 (DCGAN's and DiscoGAN's depth). */
const stridesTo4 = (size: number) => Math.log2(size) - 2;

/**
 * PyTorch-GAN's MLP generator (gan.py, wgan.py): Linear + LeakyReLU 0.2 layers doubling from
 * ngf, batch norm after all but the first, a Linear to every pixel, tanh.
 */
function mlpGenerator(p: z.infer<(typeof PRESETS)['mlp_generator']['params']>): BodyDocument {
  const b = new BodyBuilder();
  let i = 0;
  const id = () => `model.${i++}`;
  for (let n = 0; n < p.n_layers; n++) {
    b.add(id(), 'Dense', { units: p.ngf * 2 ** n });
    if (n > 0 && p.norm === 'batch') b.add(id(), 'BatchNorm');
    b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
  }
  b.add(id(), 'Dense', { units: p.size * p.size * p.output_nc });
  b.add(id(), 'Activation', { fn: 'tanh' });
  b.add('view', 'Reshape', { shape: [p.size, p.size, p.output_nc] });
  return b.finish();
}

/** PyTorch-GAN's MLP discriminator: Linear + LeakyReLU 0.2 layers halving down to ndf, one score. */
function mlpDiscriminator(
  p: z.infer<(typeof PRESETS)['mlp_discriminator']['params']>,
): BodyDocument {
  const b = new BodyBuilder();
  let i = 0;
  const id = () => `model.${i++}`;
  b.add('view', 'Flatten');
  for (let n = p.n_layers - 1; n >= 0; n--) {
    b.add(id(), 'Dense', { units: p.ndf * 2 ** n });
    b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
  }
  b.add(id(), 'Dense', { units: 1 });
  return b.finish();
}

/**
 * The DCGAN generator (Radford et al.; PyTorch's examples/dcgan): the noise as a 1×1 image, a
 * 4×4 transposed convolution to ngf·2^(n-1) channels at 4×4, then 4×4 stride-2 transposed
 * convolutions halving the channels, each with batch norm and ReLU, the last to output_nc with
 * tanh. Convolutions have no bias before a batch norm.
 */
function dcganGenerator(p: z.infer<(typeof PRESETS)['dcgan_generator']['params']>): BodyDocument {
  const b = new BodyBuilder();
  const bias = p.norm === 'none';
  const n = stridesTo4(p.size);
  let i = 0;
  const id = () => `main.${i++}`;
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
}

/**
 * The DCGAN discriminator (also DiscoGAN's): 4×4 stride-2 convolutions doubling from ndf with
 * LeakyReLU 0.2, batch norm from the second, down to 4×4, then a 4×4 convolution to one score
 * (a logit: the losses apply the sigmoid).
 */
function dcganDiscriminator(
  p: z.infer<(typeof PRESETS)['dcgan_discriminator']['params']>,
): BodyDocument {
  const b = new BodyBuilder();
  const bias = p.norm === 'none';
  let i = 0;
  const id = () => `main.${i++}`;
  for (let k = 0; k < stridesTo4(p.size); k++) {
    b.add(id(), 'Conv', { filters: p.ndf * 2 ** k, kernel: 4, stride: 2, padding: 1, bias });
    if (k > 0 && p.norm === 'batch') b.add(id(), 'BatchNorm');
    b.add(id(), 'Activation', { fn: 'leaky_relu', alpha: 0.2 });
  }
  b.add(id(), 'Conv', { filters: 1, kernel: 4, bias: false });
  return b.finish();
}

/**
 * DiscoGAN's generator (Kim et al., 2017; SKTBrain/DiscoGAN): an encoder of 4×4 stride-2
 * convolutions with LeakyReLU 0.2 (batch norm from the second) down to 4×4, a decoder of 4×4
 * stride-2 transposed convolutions with batch norm and ReLU back up, tanh for images in [-1, 1].
 */
function encoderDecoder(p: z.infer<(typeof PRESETS)['encoder_decoder']['params']>): BodyDocument {
  const b = new BodyBuilder();
  const bias = p.norm === 'none';
  const n = stridesTo4(p.size);
  let i = 0;
  const id = () => `main.${i++}`;
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
}

/**
 * PyTorch-GAN's BEGAN / EBGAN discriminator: a 3×3 stride-2 convolution and ReLU, a fully
 * connected code (batch norm, ReLU) and back, nearest upsampling and a 3×3 convolution to the
 * image; its output is the energy, the reconstruction error of each sample. Layer `fc.0` gives
 * the code, ebgan.py's `embedding`, which EBGAN's pull-away term compares (an application taps it).
 */
function autoencoder(p: z.infer<(typeof PRESETS)['autoencoder']['params']>): BodyDocument {
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
}

/**
 * The U-Net of TensorFlow's pix2pix and CycleGAN tutorials (4×4 stride-2 convolutions with
 * norm and LeakyReLU 0.2 down to 1×1 at 256, no norm on the first; 4×4 stride-2 transposed
 * convolutions with norm, dropout 0.5 on the three innermost, and ReLU up, each joined with the
 * encoder's activation of its size; a last transposed convolution to output_nc and tanh), with
 * n_blocks residual blocks at the bottleneck. TensorFlow's 'same' padding is PyTorch's padding 1
 * for these 4×4 stride-2 convolutions on even sizes.
 */
function unetResnet(p: z.infer<(typeof PRESETS)['unet_resnet']['params']>): BodyDocument {
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
            : describeIssue(issue, params),
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
    case 'mlp_generator':
      return { ok: true, body: mlpGenerator(parsed.data as never) };
    case 'mlp_discriminator':
      return { ok: true, body: mlpDiscriminator(parsed.data as never) };
    case 'dcgan_generator':
      return { ok: true, body: dcganGenerator(parsed.data as never) };
    case 'dcgan_discriminator':
      return { ok: true, body: dcganDiscriminator(parsed.data as never) };
    case 'encoder_decoder':
      return { ok: true, body: encoderDecoder(parsed.data as never) };
    case 'autoencoder':
      return { ok: true, body: autoencoder(parsed.data as never) };
    case 'unet_resnet':
      return { ok: true, body: unetResnet(parsed.data as never) };
  }
}
