/**
 * `npx tsx bench/zooTranslation.ts --family cyclegan [--steps 1000] [--every 50] [--minutes M]`:
 * trains templates/<family>.json (cyclegan, cyclegan-unet, discogan, pix2pix) on its built-in
 * day/night scenes at 64×64 on the cpu backend, at a width a cpu trains (ngf = ndf = 8; 2
 * residual blocks, or 6 U-Net levels; batch 8 for discogan), and every `--every` steps scores
 * each translating generator on the held-out test scenes: mean L1 to the true translation,
 * against the identity baseline (the input itself) and the blank baseline (a mid-grey image).
 * Writes the log (losses per step, scores per evaluation), a grid of test A, G(test A) and the
 * true B at each evaluation and a checkpoint to bench-results/zoo/<family>/; `--resume`
 * continues. `--minutes` ends the run early (after an evaluation) when a cpu is short.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { builtinResolver, datasetParamsOf } from '../src/runtime/data/batches';
import { EVALUATION_CALL } from '../src/runtime/quality/evaluationCall';
import { translationQuality, translators } from '../src/runtime/translationQuality';
import { imageGrid, openZooRun, stepName } from './zooRun';

const SIZES: Record<string, Record<string, number>> = {
  cyclegan: { size: 64, ngf: 8, ndf: 8, n_blocks: 2 },
  'cyclegan-unet': { size: 64, ngf: 8, ndf: 8, num_downs: 6 },
  discogan: { size: 64, ngf: 8, ndf: 8, batch_size: 8 },
  pix2pix: { size: 64, ngf: 8, ndf: 8, num_downs: 6 },
};
/** Held-out scenes scored per evaluation (of the 50 each built-in set has). */
const SCORED_IMAGES = 16;
const SHOWN = 6;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    family: { type: 'string', default: 'cyclegan' },
    steps: { type: 'string', default: '1000' },
    every: { type: 'string', default: '50' },
    minutes: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    resume: { type: 'boolean', default: false },
  },
});
const family = values.family!;
const overrides = SIZES[family];
if (!overrides) {
  throw new Error(
    `--family: expected one of ${Object.keys(SIZES).join(', ')}, received "${family}"`,
  );
}
const positive = (name: 'steps' | 'every' | 'minutes' | 'seed') => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`--${name}: expected a positive integer, received "${values[name]}"`);
  }
  return n;
};
const steps = positive('steps');
const every = positive('every');
const deadline = performance.now() + positive('minutes') * 60_000;

async function main() {
  const out = fileURLToPath(new URL(`../bench-results/zoo/${family}/`, import.meta.url));
  mkdirSync(out, { recursive: true });
  const run = await openZooRun(family, overrides!, out, positive('seed'), values.resume!);
  const { trainer, program } = run;
  const datasetNode = program.nodes.find((n) => n.behavior === 'dataset')!;
  const dataset = builtinResolver(datasetParamsOf(datasetNode).source, overrides!.size!);
  const [first] = translators(program);
  const evaluate = async (step: number) => {
    const scores = await translationQuality(trainer, dataset, SCORED_IMAGES);
    run.log({ step, scores });
    process.stderr.write(
      `step ${step}  ${scores.map((s) => `${s.network} ${s.direction} L1 ${s.meanL1.toFixed(4)} (identity ${s.identityL1.toFixed(4)}, blank ${s.blankL1.toFixed(4)})`).join('  ')}\n`,
    );
    const size = dataset.size;
    const pixels = size * size * 3;
    const shown = new Float32Array(3 * SHOWN * pixels);
    for (let i = 0; i < SHOWN; i++) {
      const input = dataset.testImage(first!.from, i);
      const output = tf.tidy(() =>
        trainer.runNetwork(
          first!.network,
          tf.tensor(input, [1, size, size, 3]),
          true,
          EVALUATION_CALL,
        ),
      );
      shown.set(input, i * pixels);
      shown.set((await output.data()) as Float32Array, (SHOWN + i) * pixels);
      output.dispose();
      shown.set(dataset.testTruth!(first!.from, i), (2 * SHOWN + i) * pixels);
    }
    writeFileSync(
      `${out}translations-step${stepName(step)}.png`,
      imageGrid(shown, 3 * SHOWN, size, 3, SHOWN, 1),
    );
  };
  const start = trainer.completedSteps + 1;
  process.stderr.write(
    `${family} at 64×64: steps ${start} to ${steps}, ${JSON.stringify(overrides)}, cpu\n`,
  );
  if (start === 1) await evaluate(0);
  for (let s = start; s <= steps; s++) {
    const result = await trainer.step();
    run.log({ step: s, ...result.losses, stepMs: Math.round(result.stepMs) });
    const last = s === steps || performance.now() > deadline;
    if (s % every === 0 || last) {
      await evaluate(s);
      await run.save();
    }
    if (last) break;
  }
  trainer.dispose();
}

await main();
