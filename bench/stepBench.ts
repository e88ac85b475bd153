/**
 * One whole CycleGAN training step of the template (64×64, ngf = ndf = 16, 2 blocks, built-in
 * data) on one backend, in a process of its own: `npx tsx bench/stepBench.ts cpu --steps 5`.
 * Runs 2 warm-up steps, then times N steps (wall clock around `trainer.step()`, which reads the
 * losses back, so the GPU work is done when it returns). Prints one JSON line to stdout
 * (a StepBenchResult, or `{ backend, error }`) and exits explicitly: a WebGPU device keeps Node
 * alive.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendRequest } from '../src/runtime/backends/select';
import { compileGraph } from '../src/runtime/compile';
import { DataBatchSource } from '../src/runtime/data/batches';
import { Trainer } from '../src/runtime/trainer';
import { exitWithJson } from './exitWithJson';

const CONFIG = { size: 64, ngf: 16, ndf: 16, n_blocks: 2 } as const;
const WARM_UP = 2;

export interface StepBenchResult {
  backend: string;
  adapter?: string;
  config: typeof CONFIG;
  warmUpMs: number[];
  stepMs: number[];
  medianMs: number;
  /** tf.memory() after the timed steps, the trainer still alive. */
  memory: { numTensors: number; numBytes: number; numBytesInGPUAllocated?: number };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function bench(backend: BackendRequest, steps: number): Promise<StepBenchResult> {
  tf.enableProdMode();
  const selected = await selectBackend(tf, backend);
  const template = readFileSync(new URL('../templates/cyclegan.json', import.meta.url), 'utf8');
  const compiled = compileGraph(template, CONFIG);
  if (!compiled.ok) {
    throw new Error(compiled.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
  const trainer = new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed: 0 });
  const timed = async () => {
    const started = performance.now();
    await trainer.step();
    return performance.now() - started;
  };
  const warmUpMs: number[] = [];
  for (let i = 0; i < WARM_UP; i++) warmUpMs.push(await timed());
  const stepMs: number[] = [];
  for (let i = 0; i < steps; i++) stepMs.push(await timed());
  const memory = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
  const result: StepBenchResult = {
    backend: selected.backend,
    ...(selected.adapter ? { adapter: selected.adapter } : {}),
    config: CONFIG,
    warmUpMs,
    stepMs,
    medianMs: median(stepMs),
    memory: {
      numTensors: memory.numTensors,
      numBytes: memory.numBytes,
      ...(memory.numBytesAllocatedInGPU !== undefined
        ? { numBytesInGPUAllocated: memory.numBytesAllocatedInGPU }
        : {}),
    },
  };
  trainer.dispose();
  return result;
}

const { values, positionals } = parseArgs({
  args: process.argv.slice(2),
  allowPositionals: true,
  options: { steps: { type: 'string', default: '5' } },
});
const backend = (positionals[0] ?? 'cpu') as BackendRequest;
await exitWithJson(() => bench(backend, Number(values.steps)), { backend });
