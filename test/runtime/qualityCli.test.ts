/**
 * `ganvas train --eval-every N` and `ganvas eval` as a user runs them: the quality figures in
 * the JSON lines of the log, and printed for an MNIST generator.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { QualityReport } from '../../src/runtime/quality/qualityReport';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CYCLEGAN = ['size=32', 'ngf=4', 'ndf=4', 'n_blocks=1'].flatMap((s) => ['--set', s]);
const DCGAN = ['size=16', 'ngf=4', 'ndf=4', 'batch_size=8'].flatMap((s) => ['--set', s]);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function ganvas(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/ganvas.mjs', ...args],
      { cwd: ROOT, timeout: 230_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const shown = (run: Run) => `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ganvas-quality-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent('quality on the command line', { timeout: 240_000 }, () => {
  it('train --eval-every 2 writes the translation figures into the log every 2 steps', async ({
    expect,
  }) => {
    const log = join(work, 'cyclegan.jsonl');
    const run = await ganvas(
      'train',
      'templates/cyclegan.json',
      ...['--data', 'builtin:daynight', ...CYCLEGAN, '--steps', '4', '--eval-every', '2'],
      ...['--log', log],
    );
    expect(run.code, shown(run)).toBe(0);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { step: number; quality?: unknown });
    expect(lines.map((l) => l.step)).toEqual([1, 2, 3, 4]);
    expect(lines.filter((l) => l.quality).map((l) => l.step)).toEqual([2, 4]);
    const report = QualityReport.parse(lines[3]!.quality);
    expect(report.kind === 'translation' && report.scores.map((s) => s.network)).toEqual([
      'G_A',
      'G_B',
    ]);
    expect(run.stderr).toMatch(/step 4 {2}G_A \(A→B\): mean L1 to the true translation/);
  });

  it('eval prints the digit figures of a trained MNIST generator', async ({ expect }) => {
    const weights = join(work, 'dcgan.safetensors');
    const train = await ganvas(
      'train',
      'templates/dcgan.json',
      ...[...DCGAN, '--steps', '1', '--save', weights],
    );
    expect(train.code, shown(train)).toBe(0);
    const run = await ganvas(
      'eval',
      'templates/dcgan.json',
      ...[...DCGAN, '--init', weights, '--data', 'builtin:mnist'],
    );
    expect(run.code, shown(run)).toBe(0);
    expect(run.stdout).toMatch(
      /^G: \d+\.\d% of 256 digits classified confidently \(real \d+\.\d%\), class entropy \d\.\d\d bits \(real \d\.\d\d, at most 3\.32\), Fréchet distance \d+\.\d\d \(real halves \d+\.\d\d\)\n$/,
    );
  });

  it('train --eval-every on a folder says it has nothing to score against, before training', async ({
    expect,
  }) => {
    const run = await ganvas(
      'train',
      'templates/cyclegan.json',
      ...[...CYCLEGAN, '--data', work, '--steps', '1', '--eval-every', '1'],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--eval-every: .* has no true translations to score against/);
  });
});
