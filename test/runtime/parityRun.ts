/**
 * Runs the parity fixture through the CycleGAN template and measures the differences; shared by
 * the parity test (cpu) and the benchmark (other backends).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TF, Tensor } from '../../src/nodes/kind';
import { compileGraph } from '../../src/runtime/compile';
import { FixedBatchSource } from '../../src/runtime/fixedBatch';
import { tfjsToTorch } from '../../src/runtime/layouts';
import { readSafeTensors } from '../../src/runtime/safetensors';
import { Trainer } from '../../src/runtime/trainer';
import { exportTorchWeights, importTorchWeights } from '../../src/runtime/weights';

export const FIXTURES = fileURLToPath(new URL('../fixtures/parity/', import.meta.url));
const TEMPLATE = fileURLToPath(new URL('../../templates/cyclegan.json', import.meta.url));

export interface ParityReport {
  losses: Record<string, number>[];
  lossComparisons: { step: number; term: string; ours: number; ref: number }[];
  outputErrors: Map<string, number>;
  /** Relative (max|ours - ref| / max|ref|) for every weight. */
  gradientErrors: Map<string, number>;
  /**
   * For the biases before an instance norm, whose true gradient is zero (both engines return
   * float noise): max|ours - ref| relative to the largest reference gradient of the layer's weight.
   */
  gradientNoiseErrors: Map<string, number>;
  finalErrors: Map<string, number>;
  feedsInstanceNorm: Set<string>;
  stepMs: number[];
  dispose(): void;
}

function relativeMaxError(ours: Float32Array, ref: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i]! - ref[i]!));
    scale = Math.max(scale, Math.abs(ref[i]!));
  }
  return diff / scale;
}

function maxAbsError(ours: Float32Array, ref: Float32Array): number {
  let diff = 0;
  for (let i = 0; i < ref.length; i++) diff = Math.max(diff, Math.abs(ours[i]! - ref[i]!));
  return diff;
}

export async function runParity(tf: TF, steps = 3): Promise<ParityReport> {
  const read = (name: string) => readSafeTensors(readFileSync(FIXTURES + name));
  const init = read('cyclegan-tiny.init.safetensors');
  const batch = read('cyclegan-tiny.batch.safetensors');
  const expected = read('cyclegan-tiny.expected.safetensors');
  const reference = JSON.parse(readFileSync(FIXTURES + 'cyclegan-tiny.json', 'utf8'));
  const c = reference.config;

  const compiled = compileGraph(readFileSync(TEMPLATE, 'utf8'), {
    size: c.size,
    ngf: c.ngf,
    ndf: c.ndf,
    n_blocks: c.n_blocks,
    n_layers_D: c.n_layers_D,
  });
  if (!compiled.ok)
    throw new Error(compiled.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  const source = new FixedBatchSource(
    new Map(
      ['real_A', 'real_B'].map((k) => [
        k,
        { data: batch.tensors.get(k)!.data!, shape: batch.tensors.get(k)!.shape },
      ]),
    ),
  );
  const trainer = new Trainer(tf, compiled.program, { source, seed: 1 });
  const imported = importTorchWeights(trainer, init);
  if (imported.missing.length || imported.problems.length) {
    throw new Error(`weights: missing ${imported.missing} problems ${imported.problems}`);
  }

  const losses: Record<string, number>[] = [];
  const stepMs: number[] = [];
  const outputErrors = new Map<string, number>();
  const gradientErrors = new Map<string, number>();
  const gradientNoiseErrors = new Map<string, number>();
  for (let s = 0; s < steps; s++) {
    const result = await trainer.step({ record: s === 0 });
    losses.push(result.losses);
    stepMs.push(result.stepMs);
    if (result.recorded) {
      for (const name of ['fake_B', 'rec_A', 'fake_A', 'rec_B']) {
        const ours = result.recorded.outputs.get(`${name}.out`)!;
        const ref = expected.tensors.get(`step1.out.${name}`)!.data!;
        outputErrors.set(name, relativeMaxError((await ours.data()) as Float32Array, ref));
      }
      for (const [name, g] of result.recorded.gradients) {
        const ref = expected.tensors.get(`step1.grad.${name}`)!.data!;
        const torch = tfjsToTorch(
          (await g.data()) as Float32Array,
          g.shape,
          trainer.weightSpecs.get(name)!.torchLayout,
        );
        gradientErrors.set(name, relativeMaxError(torch.data, ref));
        const weight = expected.tensors.get(`step1.grad.${name.replace(/bias$/, 'weight')}`)!.data!;
        const scale = weight.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        gradientNoiseErrors.set(name, maxAbsError(torch.data, ref) / scale);
      }
      const all: Tensor[] = [
        ...result.recorded.outputs.values(),
        ...result.recorded.gradients.values(),
      ];
      for (const t of all) t.dispose();
    }
  }
  const finalErrors = new Map<string, number>();
  for (const [name, w] of await exportTorchWeights(trainer)) {
    finalErrors.set(name, maxAbsError(w.data, expected.tensors.get(`final.${name}`)!.data!));
  }
  const feedsInstanceNorm = new Set<string>();
  for (const net of compiled.program.networks) {
    for (const layer of net.layers) {
      const next = net.layers.find((l) => l.inputs.in?.node === layer.id);
      if (layer.kind === 'Conv' && next?.kind === 'InstanceNorm')
        feedsInstanceNorm.add(`${net.id}.${layer.id}.bias`);
      if (layer.kind === 'Residual') {
        for (const v of layer.weights)
          if (v.name.endsWith('bias')) feedsInstanceNorm.add(`${net.id}.${layer.id}.${v.name}`);
      }
    }
  }
  const lossComparisons = losses.flatMap((l, i) =>
    Object.entries(reference.losses_per_step[i] as Record<string, number>).map(([term, ref]) => ({
      step: i + 1,
      term,
      ours: l[term]!,
      ref,
    })),
  );
  return {
    losses,
    lossComparisons,
    outputErrors,
    gradientErrors,
    gradientNoiseErrors,
    finalErrors,
    feedsInstanceNorm,
    stepMs,
    dispose: () => trainer.dispose(),
  };
}
