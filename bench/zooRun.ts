/**
 * What the zoo benches share: compiling a template at bench sizes, a trainer that saves and
 * resumes, a log that a resumed run trims, and PNG grids of images in [-1, 1].
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { parseDocument, type GraphDocument } from '../src/graph/document';
import { selectBackend } from '../src/runtime/backends/select';
import { readCheckpoint, writeCheckpoint } from '../src/runtime/checkpoint';
import { compileGraph } from '../src/runtime/compile';
import { DataBatchSource } from '../src/runtime/data/batches';
import type { TrainingProgram } from '../src/runtime/program';
import { Trainer } from '../src/runtime/trainer';

/** The MNIST families of the zoo, in the order the seed compares them. */
export const MNIST_FAMILIES = ['gan', 'dcgan', 'lsgan', 'wgan', 'wgan-gp', 'began', 'ebgan'];

/** Generated digits kept per evaluation: enough for a Fréchet distance in 64 features. */
export const SCORED_SAMPLES = 512;

export interface ZooRun {
  document: GraphDocument;
  program: TrainingProgram;
  trainer: Trainer;
  source: DataBatchSource;
  /** Saves the trainer's state beside the log, for `--resume`. */
  save(): Promise<void>;
  /** Appends one JSON line to the run's log. */
  log(line: object): void;
}

/** Compiles `templates/<family>.json` with `overrides` and opens (or resumes) its run in `out`. */
export async function openZooRun(
  family: string,
  overrides: Record<string, number>,
  out: string,
  seed: number,
  resume: boolean,
): Promise<ZooRun> {
  await selectBackend(tf, 'cpu');
  tf.enableProdMode();
  const file = fileURLToPath(new URL(`../templates/${family}.json`, import.meta.url));
  const parsed = parseDocument(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.ok) throw new Error(`${file} is not a graph document`);
  const compiled = compileGraph(parsed.document, overrides);
  if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('\n'));
  const source = new DataBatchSource();
  const trainer = new Trainer(tf, compiled.program, { source, seed });
  const checkpointFile = `${out}checkpoint.safetensors`;
  if (resume) {
    const checkpoint = readCheckpoint(readFileSync(checkpointFile));
    const saved = JSON.stringify(checkpoint.overrides);
    if (saved !== JSON.stringify(overrides)) {
      throw new Error(`--resume: the checkpoint was trained with ${saved}, not these settings`);
    }
    trainer.loadState(checkpoint.state);
  }
  const logFile = `${out}log.jsonl`;
  if (!resume || !existsSync(logFile)) writeFileSync(logFile, '');
  else {
    // Steps logged after the checkpoint was saved are trained again.
    const kept = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l && (JSON.parse(l) as { step: number }).step <= trainer.completedSteps);
    writeFileSync(logFile, kept.map((l) => l + '\n').join(''));
  }
  return {
    document: parsed.document,
    program: compiled.program,
    trainer,
    source,
    save: async () =>
      writeFileSync(
        checkpointFile,
        writeCheckpoint({
          document: parsed.document,
          overrides,
          state: await trainer.saveState(),
          savedAt: new Date().toISOString(),
        }),
      ),
    log: (line) => appendFileSync(logFile, JSON.stringify(line) + '\n'),
  };
}

/**
 * Images N×H×W×C (C 1 or 3) in [-1, 1] as an 8-bit PNG grid, `columns` a row, 2-pixel gaps,
 * scaled by `scale`.
 */
export function imageGrid(
  data: Float32Array,
  n: number,
  side: number,
  channels: number,
  columns = 8,
  scale = 2,
): Buffer {
  const cell = side * scale + 2;
  const rows = Math.ceil(n / columns);
  const png = new PNG({ width: columns * cell + 2, height: rows * cell + 2 });
  png.data.fill(255);
  const level = (v: number) => Math.round(Math.min(1, Math.max(0, (v + 1) / 2)) * 255);
  for (let i = 0; i < n; i++) {
    const x0 = 2 + (i % columns) * cell;
    const y0 = 2 + Math.floor(i / columns) * cell;
    for (let y = 0; y < side * scale; y++) {
      for (let x = 0; x < side * scale; x++) {
        const pixel =
          ((i * side + Math.floor(y / scale)) * side + Math.floor(x / scale)) * channels;
        const at = ((y0 + y) * png.width + x0 + x) * 4;
        for (let c = 0; c < 3; c++)
          png.data[at + c] = level(data[pixel + (channels === 3 ? c : 0)]!);
      }
    }
  }
  return PNG.sync.write(png);
}

export function stepName(step: number): string {
  return String(step).padStart(5, '0');
}
