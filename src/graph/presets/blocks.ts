/**
 * What several presets are built from: the params they share (norm, sizes) and the body
 * builder that writes a chain of layers with the reference's ids.
 */
import { z } from 'zod';
import { CONV_CEILINGS } from '../../nodes/Conv';
import type { BodyDocument, EdgeDocument, NodeDocument } from '../document';

export const Norm = z.enum(['instance', 'batch', 'none']);
export type Norm = z.infer<typeof Norm>;

export const positive = z.number().int().positive();

/**
 * The ceilings of the presets' size params, each far above real work and far below what
 * exhausts a device (the budget check refuses what does not fit below them):
 * - width (ngf, ndf): the widest layers are 8 times it, within a Conv's 4096 filters; the
 *   reference uses 64;
 * - channels (input_nc, output_nc): images have 1, 3 or 4;
 * - latent (nz, an autoencoder's code): as a Noise node's dim;
 * - image size: as a Dataset's (4096), and 256 for presets whose dense layers span the image
 *   (MLPs, the autoencoder), whose layers grow with size².
 */
export const width = positive.max(512);
export const channels = positive.max(4);
export const latent = positive.max(65536);
export const denseImageSize = positive.max(256);

/** Exact for every safe integer, where a 32-bit `n & (n - 1)` wraps (6,442,450,944 passed). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}

export const powerOfTwo = positive
  .max(4096)
  .refine((n) => n >= 8 && isPowerOfTwo(n), { message: 'expected a power of 2, at least 8' });

/** The reference uses conv biases only with instance norm (batch norm has its own shift). */
export const convBias = (norm: Norm) => norm === 'instance';

/** Stride-2 layers between size×size and 4×4 (DCGAN's and DiscoGAN's depth). */
export const stridesTo4 = (size: number) => Math.log2(size) - 2;

/**
 * A network that doubles its width at each stride-2 layer down to 4×4 (DCGAN, DiscoGAN) has
 * width·size/8 filters in its widest layer: the refinement keeping that within a Conv's ceiling.
 */
export function widestLayerFits<N extends 'ngf' | 'ndf'>(
  name: N,
): [(p: { size: number } & Record<N, number>) => boolean, { message: string; path: string[] }] {
  return [
    (p) => (p[name] * p.size) / 8 <= CONV_CEILINGS.filters,
    {
      message: `expected ${name}·size/8, the widest layer's filters, to be at most ${CONV_CEILINGS.filters}`,
      path: [name],
    },
  ];
}

/** Builds a body as a chain of layers with explicit ids; `from` defaults to the previous one. */
/**
 * The ids an nn.Sequential gives its modules, in order: `model.0`, `model.1`, ... A layer the
 * reference writes as Identity still takes its index (call the function and drop the id).
 */
export function sequentialIds(prefix: string): () => string {
  let index = 0;
  return () => `${prefix}.${index++}`;
}

export class BodyBuilder {
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
