/**
 * `npx tsx bench/dcganMnist.ts [--steps 400] [--size 32] [--width 16] [--batch 32]`: trains
 * templates/dcgan.json on MNIST digits (builtin:mnist) on the cpu backend, the seed's schedule
 * and optimizer (Adam 2e-4, beta1 0.5, nz 100) at a size and width a cpu trains in minutes.
 *
 * Logs, every step, the discriminator's mean verdicts σ(D(x)) on real digits and σ(D(G(z))) on
 * generated ones (as judged in its own update), to show it separating them; writes an 8×8 grid
 * of generated digits (64 fixed noise vectors, batch-norm statistics of the batch, as PyTorch's
 * DCGAN example samples) every `--every` steps and at the end, a grid of real digits beside them,
 * and a summary, all to bench-results/dcgan-mnist/. A checkpoint is saved with every grid;
 * `--resume` continues from it up to `--steps` in all (a long run can be split, and picks up
 * faster kernels), appending to the log.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { createRandom } from '../src/runtime/data/random';
import { imageGrid, openZooRun } from './zooRun';

const OUT = fileURLToPath(new URL('../bench-results/dcgan-mnist/', import.meta.url));

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    steps: { type: 'string', default: '400' },
    size: { type: 'string', default: '32' },
    width: { type: 'string', default: '16' },
    batch: { type: 'string', default: '32' },
    every: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    resume: { type: 'boolean', default: false },
  },
});
const number = (name: Exclude<keyof typeof values, 'resume'>) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`--${name}: expected a positive integer, received "${values[name]}"`);
  }
  return n;
};
const steps = number('steps');
const size = number('size');
const width = number('width');
const batch = number('batch');
const every = number('every');
const seed = number('seed');
const GRID = 8;

async function main() {
  mkdirSync(OUT, { recursive: true });
  const overrides = { size, ngf: width, ndf: width, batch_size: batch };
  const run = await openZooRun('dcgan', overrides, OUT, seed, values.resume);
  const { program, trainer, source } = run;
  const nz = program.nodes.find((n) => n.id === 'z')!.params.dim as number;

  const fixedRandom = createRandom(seed + 1000);
  const fixedNoise = tf.tensor2d(
    Float32Array.from({ length: GRID * GRID * nz }, () => fixedRandom.normal()),
    [GRID * GRID, nz],
  );
  const data = program.nodes.find((n) => n.id === 'data')!;
  const realBatch = source.next(
    { ...data, params: { ...data.params, batchSize: GRID * GRID } },
    createRandom(seed + 2000),
  );
  writeFileSync(`${OUT}real.png`, imageGrid(realBatch.real!.data, GRID * GRID, size, 1));

  const samples = async (step: number) => {
    const images = tf.tidy(() => trainer.runNetwork('G', fixedNoise, true));
    const file = sampleFile(step);
    writeFileSync(
      OUT + file,
      imageGrid((await images.data()) as Float32Array, GRID * GRID, size, 1),
    );
    images.dispose();
    return file;
  };

  const started = performance.now();
  const first = trainer.completedSteps + 1;
  process.stderr.write(
    `dcgan on MNIST: steps ${first} to ${steps}, ${size}×${size}, ngf = ndf = ${width}, batch ${batch}, cpu\n`,
  );
  for (let s = first; s <= steps; s++) {
    const result = await trainer.step({ record: true });
    const recorded = result.recorded!;
    const mean = async (name: string) => {
      const p = tf.mean(tf.sigmoid(recorded.outputs.get(name)!));
      const [v] = await p.data();
      p.dispose();
      return v!;
    };
    const real = await mean('pred_real.out');
    const fake = await mean('pred_fake.out');
    for (const t of [...recorded.outputs.values(), ...recorded.gradients.values()]) t.dispose();
    const line = { step: s, ...result.losses, D_real: real, D_fake: fake, stepMs: result.stepMs };
    run.log(line);
    if (s % 10 === 0 || s <= 5) {
      process.stderr.write(
        `step ${s}  ${(result.stepMs / 1000).toFixed(2)} s  D_loss ${result.losses.D_loss!.toFixed(3)}  G_loss ${result.losses.G_loss!.toFixed(3)}  σ(D(x)) ${real.toFixed(3)}  σ(D(G(z))) ${fake.toFixed(3)}\n`,
      );
    }
    if (s % every === 0 || s === steps) {
      await samples(s);
      await run.save();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  // The whole run's log, resumed parts included.
  const logged = readFileSync(`${OUT}log.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; D_real: number; D_fake: number; stepMs: number })
    .filter((l) => l.step <= steps);
  const verdicts = logged.map((l) => ({ step: l.step, real: l.D_real, fake: l.D_fake }));
  const stepMs = logged.map((l) => l.stepMs);
  const files = logged
    .filter((l) => l.step % every === 0 || l.step === steps)
    .map((l) => sampleFile(l.step));
  const window = (from: number, to: number) => {
    const part = verdicts.filter((v) => v.step >= from && v.step <= to);
    const avg = (k: 'real' | 'fake') => part.reduce((a, v) => a + v[k], 0) / part.length;
    return { steps: `${from}-${to}`, real: avg('real'), fake: avg('fake') };
  };
  const summary = {
    template: 'templates/dcgan.json',
    overrides,
    steps,
    secondsThisRun: Math.round(seconds),
    medianStepMs: Math.round(median(stepMs)),
    verdicts: [
      [1, 5],
      [6, 20],
      [21, 50],
      ...Array.from({ length: Math.ceil(steps / 50) }, (_, k) => [k * 50 + 1, k * 50 + 50]),
    ]
      .filter(([from]) => from! <= steps)
      .map(([from, to]) => window(from!, Math.min(to!, steps))),
    samples: files,
  };
  writeFileSync(`${OUT}summary.json`, JSON.stringify(summary, null, 2) + '\n');
  process.stderr.write(`${JSON.stringify(summary, null, 2)}\nwrote ${OUT}\n`);
  trainer.dispose();
}

function sampleFile(step: number): string {
  return `samples-step${String(step).padStart(4, '0')}.png`;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

await main();
