import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetEntries, folderEntries } from '../../src/runtime/cli/files';
import { decodeImageInNode } from '../../src/runtime/data/decodeNode';
import {
  formatLoadReport,
  ImageFolderError,
  loadImageFolder,
  unzipEntries,
  type DataFileEntry,
} from '../../src/runtime/data/folder';
import { resizeToRgb } from '../../src/runtime/data/imageResize';
import { datasetFiles, gradient, pngBytes, temporaryFolder, writeFiles } from './imageFiles';

const repo = fileURLToPath(new URL('../..', import.meta.url));

function entries(files: ReadonlyMap<string, Uint8Array>): DataFileEntry[] {
  return [...files].map(([path, bytes]) => ({ path, bytes: async () => bytes }));
}

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A temporary folder holding `files`, removed after the tests. */
function folderOf(files: ReadonlyMap<string, Uint8Array>, prefix: string): string {
  const folder = temporaryFolder(prefix);
  folders.push(folder);
  return writeFiles(folder, files);
}

const load = (list: DataFileEntry[], loadSize = 8) =>
  loadImageFolder(list, { loadSize, decode: decodeImageInNode, name: 'horse2zebra' });

describe('loading an image folder', () => {
  it('loads the PNG and JPEG files of each domain, resized to loadSize, and lists the corrupt one', async () => {
    const folder = folderOf(datasetFiles(), 'folder');
    const { dataset, report } = await load(folderEntries(folder), 8);
    expect(report.loaded).toEqual({ trainA: 3, trainB: 2, testA: 1, testB: 0 });
    expect(report.skipped).toEqual([
      { path: 'trainA/broken.png', reason: 'corrupt: not a PNG or JPEG image' },
    ]);
    expect(report.ignored).toEqual(['notes.txt']);
    expect(dataset).toMatchObject({ size: 8, paired: false, trainCount: 3, testCount: 1 });
    expect(dataset.domainCounts).toEqual({ train: { A: 3, B: 2 }, test: { A: 1, B: 0 } });
    expect(dataset.testTruth).toBeUndefined();
    for (const [domain, count] of [
      ['A', 3],
      ['B', 2],
    ] as const) {
      for (let i = 0; i < count; i++) {
        const image = dataset.trainImage(domain, i);
        expect(image).toHaveLength(8 * 8 * 3);
        expect(Math.min(...image)).toBeGreaterThanOrEqual(-1);
        expect(Math.max(...image)).toBeLessThanOrEqual(1);
      }
    }
    expect(() => dataset.trainImage('B', 2)).toThrow(
      'horse2zebra.trainImage: index expected an integer in [0, 2), received 2',
    );
    expect(formatLoadReport('horse2zebra', report)).toEqual([
      'horse2zebra: loaded trainA 3, trainB 2, testA 1, testB 0',
      '  skipped trainA/broken.png: corrupt: not a PNG or JPEG image',
      '  ignored 1 file that is not a dataset image',
    ]);
  });

  it('keeps the picture: a resized gradient is still the same gradient, in [-1, 1]', async () => {
    // a0.png is 24x20: red rises 0..255 left to right, green top to bottom, blue is 0.
    const { dataset } = await load(entries(datasetFiles()), 8);
    const image = dataset.trainImage('A', 0);
    const at = (x: number, y: number, c: number) => image[(y * 8 + x) * 3 + c]!;
    // Pixel centre x of 8 maps to (x + 0.5) * 3 - 0.5 of 24 input pixels, red 255 * that / 23;
    // the triangle filter keeps a linear ramp linear away from the borders. Tolerance: one and
    // a half 8-bit levels (the file's rounding and the resize's) in [-1, 1] units.
    for (const x of [2, 3, 4, 5]) {
      const expected = (((x + 0.5) * 3 - 0.5) / 23) * 2 - 1;
      expect(Math.abs(at(x, 4, 0) - expected)).toBeLessThan(3 / 255);
    }
    expect(at(3, 4, 2)).toBe(-1);
  });

  it('loads a zip of the same folder identically, whatever folder it is in', async () => {
    const files = datasetFiles();
    const plain = await load(entries(files));
    const zipped = zipSync({
      ...Object.fromEntries([...files].map(([path, bytes]) => [`horse2zebra/${path}`, bytes])),
      // What macOS adds to the zips it makes: resource forks, not images.
      '__MACOSX/horse2zebra/trainA/._a0.png': new Uint8Array([0, 5, 22, 7]),
    });
    const fromZip = await load(unzipEntries(zipped));
    expect(fromZip.report.loaded).toEqual(plain.report.loaded);
    expect(fromZip.report.skipped).toEqual([
      { path: 'horse2zebra/trainA/broken.png', reason: 'corrupt: not a PNG or JPEG image' },
    ]);
    expect(fromZip.report.ignored.sort()).toEqual([
      '__MACOSX/horse2zebra/trainA/._a0.png',
      'horse2zebra/notes.txt',
    ]);
    for (let i = 0; i < 3; i++) {
      expect(fromZip.dataset.trainImage('A', i)).toEqual(plain.dataset.trainImage('A', i));
    }
    expect(fromZip.dataset.testImage('A', 0)).toEqual(plain.dataset.testImage('A', 0));
  });

  it('says why each unusable file is skipped: empty, corrupt, another format', async () => {
    const files = datasetFiles();
    const png = files.get('trainA/a0.png')!;
    files.set('trainA/empty.jpg', new Uint8Array());
    files.set('trainA/truncated.png', png.subarray(0, 60));
    files.set('trainA/anim.gif', new TextEncoder().encode('GIF89a....'));
    files.set('trainB/really-a-gif.png', new TextEncoder().encode('GIF89a....'));
    files.set('trainB/upper.JPEG', files.get('trainB/b1.jpeg')!);
    const { report } = await load(entries(files));
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['trainA/empty.jpg']).toBe('empty file');
    expect(reasons['trainA/truncated.png']).toMatch(/^corrupt: PNG does not decode \(.+\)$/);
    expect(reasons['trainA/anim.gif']).toBe('unsupported format: .gif (PNG and JPEG are read)');
    expect(reasons['trainB/really-a-gif.png']).toBe(
      'unsupported format: GIF (PNG and JPEG are read)',
    );
    expect(report.loaded.trainB).toBe(3);
  });

  it('refuses a set whose trainB/ is empty, naming the folder and what it found', async () => {
    const files = datasetFiles();
    for (const path of files.keys()) if (path.startsWith('trainB/')) files.delete(path);
    await expect(load(entries(files))).rejects.toThrow(
      'horse2zebra: trainB/: it has no PNG or JPEG files; a dataset holds trainA/ and trainB/ (testA/ and testB/ optional)',
    );
    // Under a folder of its own, and with only a corrupt file in trainB/.
    const nested = new Map([...files].map(([path, bytes]) => [`data/${path}`, bytes]));
    nested.set('data/trainB/only.png', files.get('trainA/broken.png')!);
    const error = await load(entries(nested)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageFolderError);
    expect((error as Error).message).toMatch(
      /^horse2zebra: data\/trainB\/: none of its 1 image file could be read;/,
    );
    expect((error as ImageFolderError).report.skipped.map((s) => s.path)).toContain(
      'data/trainB/only.png',
    );
  });

  it("pairs testA/ and testB/ by file name: each test image's namesake is its true translation", async () => {
    const files = datasetFiles();
    files.delete('testA/t0.png');
    // Extensions differ and one pair sits in a subfolder: names pair without them.
    const test = [
      ['testA/0001.png', 'testB/0001.jpg'],
      ['testA/0002.jpg', 'testB/0002.png'],
      ['testA/night/0003.png', 'testB/night/0003.png'],
    ];
    test.forEach(([a, b], i) => {
      files.set(a!, pngBytes(10, 10, gradient(10, 10, 10 + i)));
      files.set(b!, pngBytes(10, 10, gradient(10, 10, 20 + i)));
    });
    const { dataset, report } = await load(entries(files));
    expect(report.testPairs).toEqual({ paired: true, count: 3 });
    expect(dataset.description).toMatch(/testA\/ and testB\/ paired by file name/);
    expect(dataset.testTruth).toBeDefined();
    for (let i = 0; i < 3; i++) {
      expect(dataset.testTruth!('A', i)).toEqual(dataset.testImage('B', i));
      expect(dataset.testTruth!('B', i)).toEqual(dataset.testImage('A', i));
      expect(dataset.testTruth!('A', i)).not.toEqual(dataset.testImage('A', i));
    }
    expect(() => dataset.testTruth!('B', 3)).toThrow(
      'horse2zebra.testTruth: index expected an integer in [0, 3), received 3',
    );
    expect(formatLoadReport('horse2zebra', report)).toContain(
      '  testA/ and testB/ pair by file name (3 pairs): translations are scored against them',
    );
  });

  it('says why testA/ and testB/ do not pair, and gives no true translations', async () => {
    const files = datasetFiles();
    const image = pngBytes(6, 6, gradient(6, 6, 9));
    for (const name of ['b0', 'b1', 'b2', 'b3', 'b4']) files.set(`testB/${name}.png`, image);
    const { dataset, report } = await load(entries(files));
    const why = "1 of testA/'s 1 images have no namesake in testB/ (t0)";
    expect(report.testPairs).toEqual({ paired: false, why });
    expect(dataset.testTruth).toBeUndefined();
    expect(dataset.whyNoTruth).toBe(why);
    expect(formatLoadReport('horse2zebra', report)).toContain(
      `  testA/ and testB/ are not paired (${why}): translations are not scored`,
    );
    // Every name of testA/ in testB/ is not enough: testB/'s extras have no truth either.
    files.set('testB/t0.jpg', image);
    expect((await load(entries(files))).dataset.whyNoTruth).toBe(
      "5 of testB/'s 6 images have no namesake in testA/ (b0, b1, b2 and 2 more)",
    );
    // One name in two formats cannot say which is the pair.
    files.set('testB/t0.png', image);
    expect((await load(entries(files))).dataset.whyNoTruth).toBe(
      'testB/ has t0 twice (in two formats)',
    );
  });

  it('refuses entries that hold two datasets rather than mixing them', async () => {
    const image = pngBytes(4, 4, gradient(4, 4, 0));
    const files = new Map([
      ['horse2zebra/trainA/a.png', image],
      ['horse2zebra/trainB/b.png', image],
      ['apple2orange/trainA/a.png', image],
    ]);
    await expect(load(entries(files))).rejects.toThrow(
      'horse2zebra: holds more than one dataset (apple2orange/, horse2zebra/); give the folder of one',
    );
  });
});

describe('dataset paths on the command line', () => {
  it('reads a folder or a .zip of one, and says what it expected of anything else', async () => {
    const files = datasetFiles();
    const folder = folderOf(
      new Map([
        ['set.zip', zipSync(Object.fromEntries(files))],
        ['set.tar', new Uint8Array([1])],
        ['bad.zip', new Uint8Array([1, 2, 3])],
      ]),
      'zip',
    );
    const fromZip = await load(datasetEntries(join(folder, 'set.zip'), '--data'));
    expect(fromZip.report.loaded).toEqual({ trainA: 3, trainB: 2, testA: 1, testB: 0 });
    const expected = 'expected builtin:<name>, a folder with trainA/ and trainB/, or a .zip of one';
    expect(() => datasetEntries(join(folder, 'set.tar'), '--data')).toThrow(
      `--data: ${expected}, received the file "${join(folder, 'set.tar')}"`,
    );
    expect(() => datasetEntries(join(folder, 'nothing'), '--data')).toThrow(
      `--data: ${expected}, received "${join(folder, 'nothing')}" (no such file or folder)`,
    );
    expect(() => datasetEntries(join(folder, 'bad.zip'), '--data')).toThrow(
      /bad\.zip: not a readable zip \(.+\)$/,
    );
  });
});

describe('resizing', () => {
  it('copies an image of the same size exactly, dropping alpha', () => {
    const rgba = gradient(5, 3, 7);
    rgba[3] = 0;
    const rgb = resizeToRgb({ width: 5, height: 3, rgba }, 5, 3);
    expect([...rgb]).toEqual([...rgba].filter((_, i) => i % 4 !== 3));
  });

  it('keeps a flat colour flat when shrinking and enlarging', () => {
    const rgba = new Uint8Array(9 * 7 * 4).map((_, i) => [10, 200, 77, 255][i % 4]!);
    for (const [w, h] of [
      [3, 2],
      [20, 31],
    ]) {
      const rgb = resizeToRgb({ width: 9, height: 7, rgba }, w!, h!);
      expect(new Set(rgb.filter((_, i) => i % 3 === 0))).toEqual(new Set([10]));
      expect(new Set(rgb.filter((_, i) => i % 3 === 1))).toEqual(new Set([200]));
    }
  });
});

describe('ganvas train --data <folder>', () => {
  it('trains on a folder with a corrupt file, reporting it on stderr', () => {
    const folder = folderOf(datasetFiles(), 'train');
    const run = spawnSync(
      process.execPath,
      [
        'bin/ganvas.mjs',
        'train',
        'templates/cyclegan.json',
        '--data',
        folder,
        ...['--set', 'size=32', '--set', 'ngf=8', '--set', 'ndf=8', '--set', 'n_blocks=2'],
        ...['--steps', '3'],
      ],
      { cwd: repo, encoding: 'utf8' },
    );
    expect(run.stderr).toContain('loaded trainA 3, trainB 2, testA 1, testB 0');
    expect(run.stderr).toContain('skipped trainA/broken.png: corrupt: not a PNG or JPEG image');
    expect(run.stderr).toMatch(/step 3\/3 /);
    expect(run.status).toBe(0);
  });
});
