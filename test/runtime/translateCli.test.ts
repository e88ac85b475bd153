import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/runtime/checkpoint';
import {
  corruptBytes,
  datasetFiles,
  gradient,
  jpegBytes,
  pngBytes,
  temporaryFolder,
  writeFiles,
} from '../data/imageFiles';
import { ganvas, readLog } from '../ganvasCli';

const tiny = ['size=32', 'ngf=4', 'ndf=4', 'n_blocks=1', 'n_layers_D=2'].flatMap((s) => [
  '--set',
  s,
]);

const logSteps = (file: string) => readLog(file).map((entry) => entry.step);

let work: string;
let data: string;
let checkpoint: string;

beforeAll(() => {
  work = temporaryFolder('translate');
  data = writeFiles(join(work, 'data'), datasetFiles());
  checkpoint = join(work, 'run.safetensors');
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ganvas train --checkpoint, then ganvas translate', () => {
  it('writes a checkpoint, resumes from it, and continues the step count', async () => {
    const first = await ganvas(
      'train',
      'templates/cyclegan.json',
      '--data',
      data,
      ...tiny,
      ...['--steps', '2', '--checkpoint', checkpoint, '--log', join(work, 'first.jsonl')],
    );
    expect(first.stderr).toContain(`saved checkpoint at step 2 to ${checkpoint}`);
    expect(first.code).toBe(0);
    expect(logSteps(join(work, 'first.jsonl'))).toEqual([1, 2]);

    const second = await ganvas(
      'train',
      'templates/cyclegan.json',
      '--data',
      data,
      ...tiny,
      ...['--steps', '2', '--checkpoint', checkpoint, '--log', join(work, 'second.jsonl')],
      ...['--save', join(work, 'weights.safetensors')],
    );
    expect(second.stderr).toContain(`resuming from ${checkpoint} at step 2`);
    expect(second.code).toBe(0);
    expect(logSteps(join(work, 'second.jsonl'))).toEqual([3, 4]);
    const saved = readCheckpoint(readFileSync(checkpoint));
    expect(saved.state.step).toBe(4);
    expect(saved.overrides).toEqual({ size: 32, ngf: 4, ndf: 4, n_blocks: 1, n_layers_D: 2 });
    // Written through a temporary file, which is gone.
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('translates a folder with G_A: one PNG per readable image, the corrupt one reported', async () => {
    const input = writeFiles(
      join(work, 'photos'),
      new Map([
        ['horse.jpg', jpegBytes(40, 30, gradient(40, 30, 1))],
        ['pony.png', pngBytes(20, 20, gradient(20, 20, 2))],
        ['broken.png', corruptBytes()],
      ]),
    );
    const out = join(work, 'zebras');
    const run = await ganvas(
      'translate',
      ...['--checkpoint', checkpoint, '--net', 'G_A', '--in', input, '--out', out],
    );
    expect(run.stderr).toContain(`translated 2 images with G_A (32x32) into ${out}`);
    expect(run.stderr).toContain('skipped broken.png: corrupt: not a PNG or JPEG image');
    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['horse.png', 'pony.png']);
    for (const file of ['horse.png', 'pony.png']) {
      const png = PNG.sync.read(readFileSync(join(out, file)));
      expect([png.width, png.height]).toEqual([32, 32]);
    }
  });

  it('translates with a graph file and --init weights too', async () => {
    const input = writeFiles(
      join(work, 'stripes'),
      new Map([['zebra.png', pngBytes(24, 24, gradient(24, 24, 3))]]),
    );
    const out = join(work, 'horses');
    const run = await ganvas(
      'translate',
      'templates/cyclegan.json',
      ...tiny,
      ...['--init', join(work, 'weights.safetensors'), '--net', 'G_B'],
      ...['--in', input, '--out', out],
    );
    expect(run.stderr).toContain(`translated 1 image with G_B (32x32) into ${out}`);
    expect(run.code).toBe(0);
    expect(readdirSync(out)).toEqual(['zebra.png']);
  });

  it('an unknown --net lists the generators', async () => {
    const run = await ganvas(
      'translate',
      ...['--checkpoint', checkpoint, '--net', 'nosuch', '--in', data, '--out', join(work, 'x')],
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      `ganvas: translate: no generator "nosuch" in ${checkpoint}; generators: G_A, G_B`,
    );
    expect(existsSync(join(work, 'x'))).toBe(false);
  });

  it('refuses to resume a checkpoint of a different graph, saying why, and leaves it as it was', async () => {
    const before = readFileSync(checkpoint);
    const run = await ganvas(
      'train',
      'templates/cyclegan.json',
      '--data',
      data,
      ...tiny,
      ...['--set', 'ngf=16', '--steps', '1', '--checkpoint', checkpoint],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `ganvas: ${checkpoint}: cannot resume this graph from it: weight "G_A.model.1.weight" is 7×7×3×4 there and 7×7×3×16 here`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(checkpoint).equals(before)).toBe(true);
  });
  it('refuses to resume at another image size: the pooled images are of the old size', async () => {
    const run = await ganvas(
      'train',
      'templates/cyclegan.json',
      '--data',
      data,
      ...tiny,
      ...['--set', 'size=64', '--steps', '1', '--checkpoint', checkpoint],
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /cannot resume this graph from it: its image pool "pool_[AB]" holds 1×32×32×3 images and this graph makes 1×64×64×3/,
    );
  });
});
