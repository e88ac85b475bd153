/**
 * What several presets are built from: the params they share (norm, sizes) and the body
 * builder that writes a chain of layers with the reference's ids.
 */
import { z } from 'zod';
import type { BodyDocument, EdgeDocument, NodeDocument } from '../document';

export const Norm = z.enum(['instance', 'batch', 'none']);
export type Norm = z.infer<typeof Norm>;

export const positive = z.number().int().positive();
export const powerOfTwo = positive.refine((n) => n >= 8 && (n & (n - 1)) === 0, {
  message: 'expected a power of 2, at least 8',
});

/** The reference uses conv biases only with instance norm (batch norm has its own shift). */
export const convBias = (norm: Norm) => norm === 'instance';

/** Stride-2 layers between size×size and 4×4 (DCGAN's and DiscoGAN's depth). */
export const stridesTo4 = (size: number) => Math.log2(size) - 2;

/** Builds a body as a chain of layers with explicit ids; `from` defaults to the previous one. */
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
