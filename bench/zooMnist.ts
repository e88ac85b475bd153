/**
 * `npx tsx bench/zooMnist.ts --family dcgan [--steps 2000] [--every 250] [--size 32]
 * [--width 16] [--batch 32]`: trains templates/<family>.json (gan, dcgan, lsgan, wgan, wgan-gp,
 * began, ebgan) on the built-in MNIST digits on the cpu backend, with the template's losses,
 * optimizers and schedule at a width a cpu trains in minutes (`--width` sets ngf and ndf; the
 * multilayer perceptrons of gan, wgan and wgan-gp take ngf = width, ndf = 2·width units).
 *
 * Logs every step's losses; every `--every` steps and at the end writes an 8×8 grid of digits
 * generated from fixed noise, 512 generated digits as float32 (gen-step<N>.f32, what
 * `bench/zooScores.ts` scores with the digit classifier) and a checkpoint, all to
 * bench-results/zoo/<family>/; `--resume` continues from the checkpoint up to `--steps`.
 * `--minutes` ends the run early (with a last evaluation) when a cpu is short.
 * Samples use the batch's batch-norm statistics (training mode), as PyTorch's examples sample.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '../src/runtime/data/random';
import { imageGrid, MNIST_FAMILIES, openZooRun, SCORED_SAMPLES, stepName } from './zooRun';

const PERCEPTRONS = new Set(['gan', 'wgan', 'wgan-gp']);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    family: { type: 'string', default: 'dcgan' },
    steps: { type: 'string', default: '2000' },
    every: { type: 'string', default: '250' },
    size: { type: 'string' },
    width: { type: 'string', default: '16' },
    batch: { type: 'string', default: '32' },
    seed: { type: 'string', default: '1' },
    minutes: { type: 'string' },
    resume: { type: 'boolean', default: false },
  },
});
const family = values.family!;
if (!MNIST_FAMILIES.includes(family)) {
  throw new Error(`--family: expected one of ${MNIST_FAMILIES.join(', ')}, received "${family}"`);
}
const number = (
  name: 'steps' | 'every' | 'size' | 'width' | 'batch' | 'seed' | 'minutes',
  fallback?: number,
) => {
  const raw = values[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (n === undefined || !Number.isInteger(n) || n < 1) {
    throw new Error(`--${name}: expected a positive integer, received "${raw}"`);
  }
  return n;
};
const perceptron = PERCEPTRONS.has(family);
const steps = number('steps');
const every = number('every');
const size = number('size', perceptron ? 28 : 32);
const width = number('width');
const batch = number('batch');
const seed = number('seed');
const deadline = performance.now() + number('minutes', 1e6) * 60_000;
const GRID = 64;

async function main() {
  const out = fileURLToPath(new URL(`../bench-results/zoo/${family}/`, import.meta.url));
  mkdirSync(out, { recursive: true });
  const overrides = { size, ngf: width, ndf: perceptron ? 2 * width : width, batch_size: batch };
  const run = await openZooRun(family, overrides, out, seed, values.resume!);
  const { trainer, program } = run;
  const nz = program.nodes.find((n) => n.id === 'z')!.params.dim as number;
  const fixedRandom = createRandom(seed + 1000);
  const fixedNoise = tf.tensor2d(
    Float32Array.from({ length: SCORED_SAMPLES * nz }, () => fixedRandom.normal()),
    [SCORED_SAMPLES, nz],
  );
  const samples = async (step: number) => {
    const parts: tf.Tensor[] = [];
    for (let i = 0; i < SCORED_SAMPLES; i += batch) {
      const n = Math.min(batch, SCORED_SAMPLES - i);
      parts.push(tf.tidy(() => trainer.runNetwork('G', fixedNoise.slice([i, 0], [n, nz]), true)));
    }
    const images = tf.concat(parts);
    const data = (await images.data()) as Float32Array;
    tf.dispose([...parts, images]);
    writeFileSync(`${out}gen-step${stepName(step)}.f32`, data);
    writeFileSync(`${out}samples-step${stepName(step)}.png`, imageGrid(data, GRID, size, 1));
  };
  const first = trainer.completedSteps + 1;
  process.stderr.write(
    `${family} on MNIST: steps ${first} to ${steps}, ${size}×${size}, ${JSON.stringify(overrides)}, cpu\n`,
  );
  if (first === 1) await samples(0);
  for (let s = first; s <= steps; s++) {
    const result = await trainer.step();
    run.log({ step: s, ...result.losses, stepMs: Math.round(result.stepMs) });
    if (s % 50 === 0 || s <= 3) {
      const losses = Object.entries(result.losses)
        .map(([k, v]) => `${k} ${v.toFixed(3)}`)
        .join('  ');
      process.stderr.write(`step ${s}  ${(result.stepMs / 1000).toFixed(2)} s  ${losses}\n`);
    }
    const last = s === steps || performance.now() > deadline;
    if (s % every === 0 || last) {
      await samples(s);
      await run.save();
    }
    if (last) break;
  }
  trainer.dispose();
}

await main();
