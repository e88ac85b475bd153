/**
 * The exported PyTorch program's training step, beside Ganvas's: the CycleGAN template exported
 * at the bench's size, trained on one fixed batch by /usr/bin/python3's PyTorch on the CPU
 * (`--batch`, so no image decoding is timed), median of the steps after 2 warm-ups, as the step
 * times of its own JSON-lines log say.
 */
import { join } from 'node:path';
import type { VariableValue } from '../src/graph/expression';
import {
  exportTo,
  readLog,
  readTemplate,
  runTrainPy,
  temporaryFolder,
  writeRandomBatch,
} from '../test/export/exportedRun';

export interface ExportedStepFigure {
  medianMs?: number;
  stepMs?: number[];
  error?: string;
}

export async function exportedStepTime(
  config: Record<string, VariableValue>,
  steps: number,
): Promise<ExportedStepFigure> {
  try {
    const folder = temporaryFolder('bench');
    const document = readTemplate('cyclegan');
    exportTo(folder, document, config);
    const batch = join(folder, 'batch.safetensors');
    writeRandomBatch(batch, document, config, 1);
    const log = join(folder, 'log.jsonl');
    await runTrainPy(folder, ['--batch', batch, '--steps', String(steps + 2), '--log', log]);
    const stepMs = readLog(log)
      .slice(2)
      .map((line) => line.stepMs);
    const sorted = [...stepMs].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const medianMs = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return { medianMs, stepMs };
  } catch (e) {
    return { error: (e as Error).message.split('\n').filter(Boolean).at(-1) };
  }
}
