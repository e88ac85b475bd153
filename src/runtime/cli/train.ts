import { writeFileSync, appendFileSync } from 'node:fs';
import { writeSafeTensors } from '../safetensors';
import { exportTorchWeights } from '../weights';
import { UsageError } from './errors';
import { positiveInteger } from './main';
import { openSession, type SessionOptions } from './session';

export interface TrainOptions extends SessionOptions {
  steps?: string;
  log?: string;
  save?: string;
}

function writeOrFail(file: string, write: () => void): void {
  try {
    write();
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

export async function runTrain(
  file: string,
  sets: Record<string, string>,
  options: TrainOptions,
): Promise<number> {
  const steps = positiveInteger(options.steps, '--steps', 100);
  const session = await openSession(file, sets, options);
  const { trainer } = session;
  if (options.log) writeOrFail(options.log, () => writeFileSync(options.log!, ''));
  const terminal = process.stderr.isTTY;
  process.stderr.write(`training ${file} for ${steps} steps on ${session.backend}\n`);
  let last = '';
  for (let i = 0; i < steps; i++) {
    const result = await trainer.step();
    const bad = Object.entries(result.losses).find(([, v]) => !Number.isFinite(v));
    if (options.log) {
      const line = JSON.stringify({
        step: result.step,
        losses: result.losses,
        stepMs: Math.round(result.stepMs * 10) / 10,
      });
      writeOrFail(options.log, () => appendFileSync(options.log!, line + '\n'));
    }
    const terms = Object.entries(result.losses)
      .map(([name, v]) => `${name} ${v.toPrecision(3)}`)
      .join('  ');
    last = `step ${result.step}/${steps}  ${(result.stepMs / 1000).toFixed(2)} s/step  ${terms}`;
    if (terminal) process.stderr.write(`\r\x1b[K${last}`);
    if (bad) {
      if (terminal) process.stderr.write('\n');
      throw new UsageError(
        `loss "${bad[0]}" became ${bad[1]} at step ${result.step}: training stopped`,
      );
    }
  }
  if (terminal) process.stderr.write('\n');
  else if (last) process.stderr.write(last + '\n');
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
  trainer.dispose();
  return 0;
}
