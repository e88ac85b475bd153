/**
 * `ganvas train --eval-every N` and `ganvas eval` as a user runs them: the quality figures in
 * the JSON lines of the log, and printed for an MNIST generator.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { QualityReport } from '../../src/runtime/quality/qualityReport';
import { gradient, pngBytes, writeFiles } from '../data/imageFiles';
import { ganvas, readLog, shown } from '../ganvasCli';

const CYCLEGAN = ['size=32', 'ngf=4', 'ndf=4', 'n_blocks=1'].flatMap((s) => ['--set', s]);
const DCGAN = ['size=16', 'ngf=4', 'ndf=4', 'batch_size=8'].flatMap((s) => ['--set', s]);

/** A photo folder whose three test images pair by name, as a pix2pix-style set is laid out. */
function pairedFolder(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const image = (seed: number) => pngBytes(20, 20, gradient(20, 20, seed));
  for (let i = 0; i < 4; i++) {
    files.set(`trainA/a${i}.png`, image(i));
    files.set(`trainB/b${i}.png`, image(10 + i));
  }
  for (const name of ['0001', '0002', '0003']) {
    files.set(`testA/${name}.png`, image(20 + Number(name)));
    files.set(`testB/${name}.png`, image(30 + Number(name)));
  }
  return files;
}

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
    const lines = readLog<{ step: number; quality?: unknown }>(log);
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

  it('train --eval-every and eval score a folder whose testA/ and testB/ pair by file name', async ({
    expect,
  }) => {
    const folder = writeFiles(join(work, 'paired'), pairedFolder());
    const log = join(work, 'paired.jsonl');
    const weights = join(work, 'paired.safetensors');
    const train = await ganvas(
      'train',
      'templates/cyclegan.json',
      ...[...CYCLEGAN, '--data', folder, '--steps', '2', '--eval-every', '2'],
      ...['--log', log, '--save', weights],
    );
    expect(train.code, shown(train)).toBe(0);
    expect(train.stderr).toMatch(/testA\/ and testB\/ pair by file name \(3 pairs\)/);
    const last = readLog<{ quality: unknown }>(log)[1]!;
    const report = QualityReport.parse(last.quality);
    expect(
      report.kind === 'translation' && report.scores.map((s) => [s.network, s.images]),
    ).toEqual([
      ['G_A', 3],
      ['G_B', 3],
    ]);
    const run = await ganvas(
      'eval',
      'templates/cyclegan.json',
      ...[...CYCLEGAN, '--init', weights, '--data', folder],
    );
    expect(run.code, shown(run)).toBe(0);
    expect(run.stdout).toMatch(/^G_A \(A→B\): mean L1 to the true translation .* 3 test images$/m);
  });

  it('train --eval-every on an unpaired folder says why it has nothing to score against, before training', async ({
    expect,
  }) => {
    const files = pairedFolder();
    files.delete('testB/0002.png');
    const folder = writeFiles(join(work, 'unpaired'), files);
    const log = join(work, 'unpaired.jsonl');
    const run = await ganvas(
      'train',
      'templates/cyclegan.json',
      ...[...CYCLEGAN, '--data', folder, '--steps', '1', '--eval-every', '1', '--log', log],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /--eval-every: .*unpaired has no true translations to score against \(1 of testA\/'s 3 images have no namesake in testB\/ \(0002\)\)/,
    );
    expect(existsSync(log)).toBe(false);
  });
});
