/**
 * One whole CycleGAN training step of the template on webgpu in Node (Dawn), at a given
 * configuration (by default the reference's: 256×256, ngf = ndf = 64, 9 blocks, batch 1): the
 * adapter, the median step time after warm-ups, the counts of one step (kernels, dispatches,
 * copies, host reads) and the GPU memory tfjs holds. Prints one JSON line and exits.
 *
 * Bundled into one file for a machine without npm (bench/gpu/bundle.sh): `webgpu` stays
 * external, and Dawn comes from $GANVAS_DAWN_NODE or a dawn.node beside the bundle
 * (src/runtime/backends/nodeWebgpu.ts). Run: node tfjsStep.mjs --size 256 --blocks 9 --steps 5
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import template from '../../templates/cyclegan.json';
import { installNodeWebGPU } from '../../src/runtime/backends/nodeWebgpu';
import { installFusedWebGPUKernels } from '../../src/runtime/backends/webgpu/fusedKernels';
import { countStep } from '../../src/runtime/backends/webgpu/stepCounts';
import { compileGraph } from '../../src/runtime/compile';
import { DataBatchSource } from '../../src/runtime/data/batches';
import { Trainer } from '../../src/runtime/trainer';
import { exitWithJson } from '../exitWithJson';

const WARM_UP = 2;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function bench(config: Record<string, number>, steps: number, fused: boolean) {
  tf.enableProdMode();
  // As selectBackend does, without its import of nodeWebgpu.ts by a variable, which a bundle
  // cannot follow.
  const { adapterInfo } = await installNodeWebGPU();
  if (fused) installFusedWebGPUKernels(tf);
  if (!(await tf.setBackend('webgpu'))) {
    throw new Error(`WebGPU is not available (adapter: ${adapterInfo})`);
  }
  const compiled = compileGraph(template, config);
  if (!compiled.ok) {
    throw new Error(compiled.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
  const trainer = new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed: 0 });
  const warmUpMs: number[] = [];
  const stepMs: number[] = [];
  for (let i = 0; i < WARM_UP + steps; i++) {
    const started = performance.now();
    await trainer.step();
    (i < WARM_UP ? warmUpMs : stepMs).push(performance.now() - started);
  }
  const counts = await countStep(tf, () => trainer.step());
  const memory = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
  trainer.dispose();
  return {
    backend: tf.getBackend(),
    fused,
    adapter: adapterInfo,
    config,
    warmUpMs,
    stepMs,
    medianMs: median(stepMs),
    ...counts,
    gpuBytesAllocated: memory.numBytesAllocatedInGPU,
  };
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    size: { type: 'string', default: '256' },
    ngf: { type: 'string', default: '64' },
    ndf: { type: 'string', default: '64' },
    blocks: { type: 'string', default: '9' },
    steps: { type: 'string', default: '5' },
    /** Today's chains of small ops instead of the fused kernels: the figures before fusion. */
    unfused: { type: 'boolean', default: false },
  },
});
const config = {
  size: Number(values.size),
  ngf: Number(values.ngf),
  ndf: Number(values.ndf),
  n_blocks: Number(values.blocks),
};
await exitWithJson(() => bench(config, Number(values.steps), !values.unfused));
