import { appendFileSync, writeFileSync } from 'node:fs';
import type { GraphDocument } from '../../graph/document';
import { writeCheckpoint } from '../checkpoint';
import { datasetParamsOf, loadSizeOf } from '../data/batches';
import { QualityProbe } from '../quality/qualityProbe';
import type { QualityReport } from '../quality/qualityReport';
import { qualityLines } from '../quality/qualityWords';
import { writeSafeTensors } from '../safetensors';
import type { Trainer } from '../trainer';
import { exportTorchWeights } from '../weights';
import { estimateLines } from './budget';
import { UsageError } from './errors';
import { exists, readCheckpointFile, readGraphDocument, writeFileAtomically } from './files';
import { positiveInteger } from './main';
import { openSession, type Session, type SessionOptions } from './session';

export interface TrainOptions extends SessionOptions {
  steps?: string;
  log?: string;
  save?: string;
  checkpoint?: string;
  'checkpoint-every'?: string;
  'eval-every'?: string;
}

function writeOrFail(file: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

/** Continues from the checkpoint file, refusing one saved from another graph with the reason. */
function resume(trainer: Trainer, file: string): void {
  const checkpoint = readCheckpointFile(file);
  try {
    trainer.loadState(checkpoint.state);
  } catch (e) {
    throw new UsageError(`${file}: cannot resume this graph from it: ${(e as Error).message}`);
  }
}

async function saveCheckpoint(
  file: string,
  document: GraphDocument,
  session: Session,
): Promise<void> {
  const bytes = writeCheckpoint({
    document,
    overrides: session.overrides,
    state: await session.trainer.saveState(),
    savedAt: new Date().toISOString(),
  });
  writeFileAtomically(file, bytes);
}

export async function runTrain(
  file: string,
  sets: Record<string, string>,
  options: TrainOptions,
): Promise<number> {
  const steps = positiveInteger(options.steps, '--steps', 100);
  const every = positiveInteger(options['checkpoint-every'], '--checkpoint-every', 100);
  const checkpoint = options.checkpoint;
  const resuming = checkpoint !== undefined && exists(checkpoint);
  if (resuming && options.init) {
    throw new UsageError(
      `--init and --checkpoint ${checkpoint} (which exists, so training resumes from it) both set the weights: give one`,
    );
  }
  const evalEvery =
    options['eval-every'] === undefined
      ? undefined
      : positiveInteger(options['eval-every'], '--eval-every', 0);
  const document = readGraphDocument(file);
  const session = await openSession({ label: file, document }, sets, options);
  const { trainer } = session;
  const probe = evalEvery ? qualityProbe(session, options.data) : undefined;
  if (resuming) {
    resume(trainer, checkpoint);
    process.stderr.write(`resuming from ${checkpoint} at step ${trainer.completedSteps}\n`);
  }
  if (options.log) writeOrFail(options.log, () => writeFileSync(options.log!, ''));
  const terminal = process.stderr.isTTY;
  process.stderr.write(estimateLines(session.estimate, session.limits).join('\n') + '\n');
  process.stderr.write(`training ${file} for ${steps} steps on ${session.backend}\n`);
  const last = trainer.completedSteps + steps;
  let line = '';
  for (let i = 0; i < steps; i++) {
    const result = await trainer.step();
    const bad = Object.entries(result.losses).find(([, v]) => !Number.isFinite(v));
    let quality: QualityReport | undefined;
    if (probe && !bad && result.step % evalEvery! === 0) {
      quality = await probe.measure();
      for (const text of qualityLines(quality))
        process.stderr.write(`step ${result.step}  ${text}\n`);
    }
    if (options.log) {
      const entry = JSON.stringify({
        step: result.step,
        losses: result.losses,
        stepMs: Math.round(result.stepMs * 10) / 10,
        ...(quality ? { quality } : {}),
      });
      writeOrFail(options.log, () => appendFileSync(options.log!, entry + '\n'));
    }
    const terms = Object.entries(result.losses)
      .map(([name, v]) => `${name} ${v.toPrecision(3)}`)
      .join('  ');
    line = `step ${result.step}/${last}  ${(result.stepMs / 1000).toFixed(2)} s/step  ${terms}`;
    if (terminal) process.stderr.write(`\r\x1b[K${line}`);
    if (bad) {
      if (terminal) process.stderr.write('\n');
      // The checkpoint is left as it was: the last good state, not the diverged one.
      throw new UsageError(
        `loss "${bad[0]}" became ${bad[1]} at step ${result.step}: training stopped`,
      );
    }
    if (checkpoint && every > 0 && result.step % every === 0 && result.step !== last) {
      await saveCheckpoint(checkpoint, document, session);
    }
  }
  if (terminal) process.stderr.write('\n');
  else if (line) process.stderr.write(line + '\n');
  if (checkpoint) {
    await saveCheckpoint(checkpoint, document, session);
    process.stderr.write(`saved checkpoint at step ${trainer.completedSteps} to ${checkpoint}\n`);
  }
  if (options.save) {
    const weights = await exportTorchWeights(trainer);
    writeOrFail(options.save, () =>
      writeFileSync(
        options.save!,
        writeSafeTensors(weights, { graph: file, steps: String(trainer.completedSteps) }),
      ),
    );
    process.stderr.write(`saved ${weights.size} weights to ${options.save}\n`);
  }
  probe?.dispose();
  trainer.dispose();
  return 0;
}

/**
 * The probe for --eval-every, refused (after the data is loaded, before training) when the data
 * has nothing to score against.
 */
function qualityProbe(session: Session, data: string | undefined): QualityProbe {
  for (const node of session.program.nodes.filter((n) => n.behavior === 'dataset')) {
    const source = data ?? datasetParamsOf(node).source;
    if (source === 'builtin:mnist') continue;
    let dataset;
    try {
      dataset = session.datasets(source, loadSizeOf(node));
    } catch (e) {
      throw new UsageError(`--eval-every: ${(e as Error).message}`);
    }
    if (!dataset.testTruth) {
      const why = dataset.whyNoTruth ? ` (${dataset.whyNoTruth})` : '';
      throw new UsageError(
        `--eval-every: ${source} has no true translations to score against${why}; the built-in scenes have them, so does a folder whose testA/ and testB/ pair by file name, and MNIST generators are scored by a digit classifier`,
      );
    }
  }
  return new QualityProbe(session.trainer, session.datasets, data ? { sourceOverride: data } : {});
}
