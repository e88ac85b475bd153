/**
 * Data parallel training: the exported CycleGAN (no image pool) under torchrun, two processes
 * (gloo, CPU) of one image each, trains as one process on both images: every term of 3 steps
 * within 1e-5 relative (the processes average their gradients, and their terms, so only the
 * order of float sums differs). Only rank 0 logs and writes the checkpoint.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  exportTo,
  readLog,
  readTemplate,
  relativeDifference,
  runTrainPy,
  temporaryFolder,
  writeRandomBatch,
} from './exportedRun';

/**
 * Debian 12's torchrun (PyTorch 1.13 on Python 3.11) cannot parse its own defaults for these two
 * options (Python 3.11 no longer iterates the flag NONE); a mapping for a rank that does not
 * exist means the same: no redirection.
 */
export const DEBIAN_TORCHRUN = ['--redirects', '9:1', '--tee', '9:1'];

const SETS = { size: 32, ngf: 4, ndf: 4, n_blocks: 1, batch_size: 2, pool_size: 0 };

describe('torchrun --nproc_per_node=2', () => {
  it('trains as one process does on the two processes’ images together', async () => {
    const folder = temporaryFolder('ddp');
    const document = readTemplate('cyclegan');
    exportTo(folder, document, SETS);
    const batch = join(folder, 'batch.safetensors');
    writeRandomBatch(batch, document, SETS, 7);
    // The exported program's own initial weights, saved after no step.
    await runTrainPy(folder, ['--steps', '0', '--batch', batch, '--checkpoints_dir', 'init']);
    const fixed = ['--init', 'init/latest.safetensors', '--batch', batch, '--steps', '3'];
    await runTrainPy(folder, [...fixed, '--log', 'single.jsonl', '--checkpoints_dir', 'single']);
    const output = await runTrainPy(
      folder,
      [...fixed, '--log', 'ddp.jsonl', '--checkpoints_dir', 'ddp'],
      ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=2', ...DEBIAN_TORCHRUN],
    );

    const single = readLog(join(folder, 'single.jsonl'));
    const ddp = readLog(join(folder, 'ddp.jsonl'));
    expect(ddp).toHaveLength(3);
    for (const [i, line] of single.entries()) {
      for (const [term, value] of Object.entries(line.losses)) {
        const parallel = ddp[i]!.losses[term]!;
        expect(
          relativeDifference(parallel, value),
          `step ${i + 1} ${term}: ${parallel} vs ${value}`,
        ).toBeLessThan(1e-5);
      }
    }
    // Rank 0 alone reports each step, and writes the checkpoint.
    expect(output.match(/^step \d+ /gm)).toHaveLength(3);
    expect(readdirSync(join(folder, 'ddp')).sort()).toEqual([
      'latest.safetensors',
      'latest_state.pt',
    ]);
  });
});
