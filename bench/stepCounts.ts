/**
 * Counts what one CycleGAN training step of the template asks of a backend (32×32,
 * ngf = ndf = 8, N blocks, built-in data): tfjs kernels, GPU dispatches, buffer copies, host
 * reads, and the step's wall time. In a process of its own:
 * `npx tsx bench/stepCounts.ts webgpu --blocks 2 [--untimed]`. Runs one warm-up step, counts the
 * second and times the third (counting slows a step down); `stepMs` is NaN (null in JSON) untimed. Prints one JSON line (a StepCountsResult, or
 * `{ backend, error }`) and exits explicitly: a WebGPU device keeps Node alive.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendRequest } from '../src/runtime/backends/select';
import { countStep, type StepCounts } from '../src/runtime/backends/webgpu/stepCounts';
import { compileGraph } from '../src/runtime/compile';
import { DataBatchSource } from '../src/runtime/data/batches';
import { Trainer } from '../src/runtime/trainer';
import { exitWithJson } from './exitWithJson';

export interface StepCountsResult extends StepCounts {
  backend: string;
  adapter?: string;
  config: { size: number; ngf: number; ndf: number; n_blocks: number };
  stepMs: number;
  /** The loss terms of the counted step (the second): backends compare on them. */
  losses: Record<string, number>;
}

export async function countTemplateStep(
  backend: BackendRequest,
  blocks: number,
  timed: boolean,
): Promise<StepCountsResult> {
  tf.enableProdMode();
  const selected = await selectBackend(tf, backend);
  const config = { size: 32, ngf: 8, ndf: 8, n_blocks: blocks };
  const template = readFileSync(new URL('../templates/cyclegan.json', import.meta.url), 'utf8');
  const compiled = compileGraph(template, config);
  if (!compiled.ok) {
    throw new Error(compiled.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
  const trainer = new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed: 0 });
  try {
    await trainer.step();
    let losses: Record<string, number> = {};
    const counts = await countStep(tf, async () => {
      losses = (await trainer.step()).losses;
    });
    const started = performance.now();
    if (timed) await trainer.step();
    const stepMs = timed ? performance.now() - started : NaN;
    return {
      backend: selected.backend,
      ...(selected.adapter ? { adapter: selected.adapter } : {}),
      config,
      ...counts,
      stepMs,
      losses,
    };
  } finally {
    trainer.dispose();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      blocks: { type: 'string', default: '2' },
      /** Counts only, without the timed third step (what the dispatch test needs). */
      untimed: { type: 'boolean', default: false },
    },
  });
  const backend = (positionals[0] ?? 'webgpu') as BackendRequest;
  await exitWithJson(() => countTemplateStep(backend, Number(values.blocks), !values.untimed), {
    backend,
  });
}
