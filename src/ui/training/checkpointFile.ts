/**
 * What Open checkpoint… reads: a .safetensors checkpoint, or a run file exported with its
 * checkpoint; each refused by its size before it is read.
 */
import { formatBytes } from '../../graph/budget';
import { readRunFile, RUN_FILE_LIMIT, tooLargeForARun } from '../runs/runFile';

/**
 * The largest checkpoint file read: the 256×256 CycleGAN's, with Adam's slots, is about 340 MB;
 * past 2 GiB a browser cannot hold the file in one buffer anyway.
 */
export const CHECKPOINT_FILE_LIMIT = 2 * 2 ** 30;

/**
 * The checkpoint a file holds: a .safetensors checkpoint as it is, or the one a run file carries
 * (exported with its checkpoint).
 */
export async function checkpointOfFile(
  file: File,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; message: string }> {
  if (!file.name.toLowerCase().endsWith('.json')) {
    if (file.size > CHECKPOINT_FILE_LIMIT) {
      return {
        ok: false,
        message: `it is ${formatBytes(file.size)}, more than a checkpoint may be (${formatBytes(CHECKPOINT_FILE_LIMIT)}): not read`,
      };
    }
    return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()) };
  }
  if (file.size > RUN_FILE_LIMIT) return { ok: false, message: tooLargeForARun(file.size) };
  const run = readRunFile(await file.text());
  if (!run.ok) return run;
  if (!run.checkpoint) {
    return {
      ok: false,
      message:
        'this run file carries no checkpoint: export the run with "Export with the checkpoint" to train on from it',
    };
  }
  return { ok: true, bytes: run.checkpoint };
}
