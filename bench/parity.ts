/**
 * Parity figures on any backend: `npx tsx bench/parity.ts webgpu`. The test suite checks cpu;
 * this prints the same measurements for the GPU backends (slow under SwiftShader).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendRequest } from '../src/runtime/backends/select';
import { runParity } from '../test/runtime/parityRun';

const backend = (process.argv[2] ?? 'cpu') as BackendRequest;
const selected = await selectBackend(tf, backend);
const report = await runParity(tf);
const max = (m: Map<string, number>, keep: (name: string) => boolean = () => true) =>
  Math.max(...[...m].filter(([n]) => keep(n)).map(([, e]) => e));
const plain = (n: string) => !report.feedsInstanceNorm.has(n);
const figures = {
  backend: selected.backend,
  lossRelative: Math.max(
    ...report.lossComparisons.map((c) => Math.abs(c.ours - c.ref) / Math.abs(c.ref)),
  ),
  outputRelative: max(report.outputErrors),
  gradientRelative: max(report.gradientErrors, plain),
  zeroGradientBiasNoise: max(report.gradientNoiseErrors, (n) => !plain(n)),
  finalWeightAbs: max(report.finalErrors, plain),
  finalBiasBeforeNormAbs: max(report.finalErrors, (n) => !plain(n)),
  stepMs: report.stepMs.map(Math.round),
};
console.log(JSON.stringify(figures, null, 2));
report.dispose();
process.exit(0);
