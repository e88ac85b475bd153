/**
 * The zoo's templates at sizes a test can train on the cpu in well under a second a step: every
 * template declares the graph variables that shrink it, and this table says how far.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as tfjs from '@tensorflow/tfjs';
import type { VariableValue } from '../../src/graph/expression';
import { compileGraph } from '../../src/runtime/compile';
import { DataBatchSource } from '../../src/runtime/data/batches';
import type { Random } from '../../src/runtime/data/random';
import type { ProgramNode, TrainingProgram } from '../../src/runtime/program';
import { Trainer, type BatchSource, type HostTensor } from '../../src/runtime/trainer';

export const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));

const MNIST = { size: 8, ngf: 4, ndf: 4, nz: 8, batch_size: 4 };

export const TINY: Record<string, Record<string, VariableValue>> = {
  cyclegan: { size: 32, ngf: 4, ndf: 4, n_blocks: 1 },
  'cyclegan-discoloss': { size: 32, ngf: 4, ndf: 4, n_blocks: 1 },
  'cyclegan-unet': { size: 32, num_downs: 5, ngf: 4, ndf: 4, n_blocks: 1 },
  discogan: { size: 16, ngf: 4, ndf: 4, batch_size: 2 },
  pix2pix: { size: 32, num_downs: 5, ngf: 4, ndf: 4 },
  gan: MNIST,
  dcgan: MNIST,
  lsgan: MNIST,
  wgan: MNIST,
  'wgan-gp': MNIST,
  began: { ...MNIST, code: 4 },
  ebgan: { ...MNIST, code: 4 },
};

export function templateNames(): string[] {
  return readdirSync(TEMPLATES)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

export function readTemplate(name: string): string {
  return readFileSync(`${TEMPLATES}${name}.json`, 'utf8');
}

/** A document's program at the tiny sizes, with `edit` applied to the parsed document first. */
export function tinyProgram(
  name: string,
  edit: (doc: { nodes: { id: string; params?: Record<string, unknown> }[] }) => void = () => {},
  overrides: Record<string, VariableValue> = {},
): TrainingProgram {
  const doc = JSON.parse(readTemplate(name));
  edit(doc);
  const compiled = compileGraph(doc, { ...TINY[name], ...overrides });
  if (!compiled.ok) {
    throw new Error(compiled.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  }
  return compiled.program;
}

/** Counts the batches drawn, per data-source node, from the built-in data. */
export class CountingSource implements BatchSource {
  readonly draws = new Map<string, number>();
  private readonly data = new DataBatchSource();

  next(node: ProgramNode, random: Random): Record<string, HostTensor> {
    this.draws.set(node.id, (this.draws.get(node.id) ?? 0) + 1);
    return this.data.next(node, random);
  }
}

export function tinyTrainer(
  tf: typeof tfjs,
  program: TrainingProgram,
  source: BatchSource = new DataBatchSource(),
): Trainer {
  return new Trainer(tf, program, { source, seed: 3 });
}
