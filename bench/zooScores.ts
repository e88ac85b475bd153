/**
 * `npx tsx bench/zooScores.ts`: scores what the zoo benches left in bench-results/zoo/ and writes
 * the evidence to docs/zoo/: for each MNIST family, the digit classifier's figures of its
 * generated digits at every evaluation (bench/zooMnist.ts keeps 512 per evaluation), against
 * real test digits' own; for each translation family, its L1 to the true translations by step
 * (bench/zooTranslation.ts logs them) against the identity and blank baselines. Copies the last
 * sample grid of each family beside the figures (scores.json, and tables on stdout).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/runtime/backends/select';
import { readCheckpoint } from '../src/runtime/checkpoint';
import { compileGraph } from '../src/runtime/compile';
import {
  builtinResolver,
  DataBatchSource,
  datasetParamsOf,
  loadSizeOf,
} from '../src/runtime/data/batches';
import { createMnistDataset } from '../src/runtime/data/mnist';
import { HELD_OUT_SCENES } from '../src/runtime/quality/qualityProbe';
import { Trainer } from '../src/runtime/trainer';
import { translationQuality } from '../src/runtime/translationQuality';
import { loadDigitClassifier } from '../src/runtime/quality/digitClassifier';
import {
  digitFigures,
  digitStatistics,
  pickReadings,
  readDigits,
  type DigitReadings,
} from '../src/runtime/quality/digitQuality';
import type { DigitFigures, TranslationFigures } from '../src/runtime/quality/qualityReport';
import { MNIST_FAMILIES, SCORED_SAMPLES } from './zooRun';

const RESULTS = fileURLToPath(new URL('../bench-results/zoo/', import.meta.url));
const DOCS = fileURLToPath(new URL('../docs/zoo/', import.meta.url));
const TRANSLATION_FAMILIES = ['cyclegan', 'cyclegan-unet', 'discogan', 'pix2pix'];

const files = (family: string, prefix: string) =>
  existsSync(RESULTS + family)
    ? readdirSync(RESULTS + family)
        .filter((f) => f.startsWith(prefix))
        .sort()
    : [];
const stepOf = (file: string) => Number(/step(\d+)/.exec(file)![1]);

async function realReference(size: number) {
  const classifier = await loadDigitClassifier(tf);
  const dataset = createMnistDataset(size);
  const pixels = size * size * 3;
  const data = new Float32Array(dataset.testCount * pixels);
  for (let i = 0; i < dataset.testCount; i++) data.set(dataset.testImage('A', i), i * pixels);
  const images = tf.tensor4d(data, [dataset.testCount, size, size, 3]);
  const readings = await readDigits(tf, classifier, images);
  images.dispose();
  const half = (r: DigitReadings, parity: number) =>
    pickReadings(
      r,
      Array.from({ length: r.count / 2 }, (_, i) => 2 * i + parity),
    );
  return {
    classifier,
    statistics: digitStatistics(readings),
    real: digitFigures(half(readings, 0), digitStatistics(half(readings, 1))),
  };
}

async function rescored(family: string) {
  const file = `${RESULTS}${family}/checkpoint.safetensors`;
  if (!existsSync(file)) return undefined;
  const checkpoint = readCheckpoint(readFileSync(file));
  const compiled = compileGraph(checkpoint.document, checkpoint.overrides);
  if (!compiled.ok) throw new Error(`${file}: its graph does not compile`);
  const trainer = new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed: 1 });
  trainer.loadState(checkpoint.state);
  const node = compiled.program.nodes.find((n) => n.behavior === 'dataset')!;
  const dataset = builtinResolver(datasetParamsOf(node).source, loadSizeOf(node));
  const scores = await translationQuality(trainer, dataset, HELD_OUT_SCENES);
  const step = trainer.completedSteps;
  trainer.dispose();
  return { step, scores };
}

async function main() {
  await selectBackend(tf, 'cpu');
  mkdirSync(DOCS, { recursive: true });
  const references = new Map<number, Awaited<ReturnType<typeof realReference>>>();
  const mnist: Record<string, { real: DigitFigures; curve: ({ step: number } & DigitFigures)[] }> =
    {};
  for (const family of MNIST_FAMILIES) {
    const generated = files(family, 'gen-step');
    if (generated.length === 0) continue;
    const curve = [];
    let real: DigitFigures | undefined;
    for (const file of generated) {
      const data = new Float32Array(readFileSync(`${RESULTS}${family}/${file}`).buffer.slice(0));
      const side = Math.round(Math.sqrt(data.length / SCORED_SAMPLES));
      if (!references.has(side)) references.set(side, await realReference(side));
      const reference = references.get(side)!;
      real = reference.real;
      const images = tf.tensor4d(data, [SCORED_SAMPLES, side, side, 1]);
      const readings = await readDigits(tf, reference.classifier, images);
      images.dispose();
      curve.push({ step: stepOf(file), ...digitFigures(readings, reference.statistics) });
    }
    mnist[family] = { real: real!, curve };
    const last = files(family, 'samples-step').at(-1)!;
    copyFileSync(`${RESULTS}${family}/${last}`, `${DOCS}${family}-samples.png`);
    process.stdout.write(
      `\n${family} (real: ${JSON.stringify(real)})\n| step | confident | entropy (bits) | Fréchet |\n|---|---|---|---|\n`,
    );
    for (const p of curve) {
      process.stdout.write(
        `| ${p.step} | ${(p.confidentShare * 100).toFixed(1)}% | ${p.classEntropy.toFixed(2)} | ${p.frechetDistance.toFixed(1)} |\n`,
      );
    }
  }
  const translation: Record<string, { step: number; scores: TranslationFigures[] }[]> = {};
  for (const family of TRANSLATION_FAMILIES) {
    const log = `${RESULTS}${family}/log.jsonl`;
    if (!existsSync(log)) continue;
    const evaluations = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; scores?: TranslationFigures[] })
      .flatMap((l) => (l.scores ? [{ step: l.step, scores: l.scores }] : []));
    // Runs logged before translations were scored with batch statistics: the last checkpoint
    // scored again, as quality is measured now.
    const last = await rescored(family);
    if (last && last.step !== evaluations.at(-1)?.step) evaluations.push(last);
    else if (last) evaluations[evaluations.length - 1] = last;
    translation[family] = evaluations;
    const grid = files(family, 'translations-step').at(-1);
    if (grid) copyFileSync(`${RESULTS}${family}/${grid}`, `${DOCS}${family}-translations.png`);
    process.stdout.write(
      `\n${family}\n| step | ${evaluations[0]!.scores.map((s) => `${s.network} ${s.direction} L1 (identity, blank)`).join(' | ')} |\n`,
    );
    for (const e of evaluations) {
      process.stdout.write(
        `| ${e.step} | ${e.scores.map((s) => `${s.meanL1.toFixed(3)} (${s.identityL1.toFixed(3)}, ${s.blankL1.toFixed(3)})`).join(' | ')} |\n`,
      );
    }
  }
  writeFileSync(`${DOCS}scores.json`, JSON.stringify({ mnist, translation }, null, 2) + '\n');
  for (const { classifier } of references.values()) classifier.dispose();
}

await main();
