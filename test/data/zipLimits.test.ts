/**
 * Zip bombs, crafted by rewriting what a real zip's central directory declares: each is refused
 * at its cap, naming the entry, without reserving what it declares.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeImageInNode } from '../../src/runtime/data/decodeNode';
import {
  loadImageFolder,
  unzipEntries,
  ZIP_ENTRY_LIMIT,
  ZIP_TOTAL_LIMIT,
} from '../../src/runtime/data/folder';
import { zipEntries } from '../../src/runtime/data/zip';
import { gradient, pngBytes } from './imageFiles';

const image = (seed: number) => pngBytes(4, 4, gradient(4, 4, seed));

/** Rewrites a central directory entry's fields: its declared size, or its compressed data. */
function rewrite(
  zip: Uint8Array,
  name: string,
  change: { size?: number; data?: (compressed: Uint8Array) => void },
): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at + 46 <= out.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    if (new TextDecoder().decode(out.subarray(at + 46, at + 46 + nameLength)) !== name) continue;
    if (change.size !== undefined) view.setUint32(at + 24, change.size, true);
    const local = view.getUint32(at + 42, true);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    change.data?.(out.subarray(start, start + view.getUint32(at + 20, true)));
  }
  return out;
}

const load = (zip: Uint8Array) =>
  loadImageFolder(unzipEntries(zip), { loadSize: 4, decode: decodeImageInNode, name: 'bomb.zip' });

describe('zips are read within their caps', () => {
  it('a 1 KB zip declaring 0xFFFFFFFE bytes per entry is refused per entry, nothing reserved', async () => {
    let zip: Uint8Array = zipSync({ 'trainA/a.png': image(1), 'trainB/b.png': image(2) });
    for (const name of ['trainA/a.png', 'trainB/b.png'])
      zip = rewrite(zip, name, { size: 0xfffffffe });
    expect(zip.length).toBeLessThan(1024);
    const error = await load(zip).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /bomb\.zip: trainA\/: none of its 1 image file could be read/,
    );
    const reason = `cannot read: declares 4294967294 bytes, more than an image may hold in a zip (${ZIP_ENTRY_LIMIT / 1024 / 1024} MiB)`;
    expect((error as { report: { skipped: unknown[] } }).report.skipped).toEqual([
      { path: 'trainA/a.png', reason },
      { path: 'trainB/b.png', reason },
    ]);
  });

  it('a huge readme the loader ignores is never inflated', async () => {
    const zip = rewrite(
      zipSync({
        'trainA/a.png': image(1),
        'trainB/b.png': image(2),
        'README.txt': new Uint8Array(4096),
      }),
      'README.txt',
      // Declares 300 MiB, and its data is no deflate stream: inflating it at all would throw.
      { size: 300 * 1024 * 1024, data: (compressed) => compressed.fill(0xff) },
    );
    const { report } = await load(zip);
    expect(report.loaded).toMatchObject({ trainA: 1, trainB: 1 });
    expect(report.ignored).toEqual(['README.txt']);
  });

  it('images declaring more than the total cap together are refused, naming the entry past it', () => {
    const perEntry = ZIP_ENTRY_LIMIT - 1;
    const count = Math.floor(ZIP_TOTAL_LIMIT / perEntry) + 1;
    let zip: Uint8Array = zipSync(
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`trainA/${i}.png`, image(i)])),
    );
    for (let i = 0; i < count; i++) zip = rewrite(zip, `trainA/${i}.png`, { size: perEntry });
    expect(() => unzipEntries(zip)).toThrow(
      `trainA/${count - 1}.png: the zip's images declare more than ${ZIP_TOTAL_LIMIT / 1024 / 1024} MiB together by this entry: refused`,
    );
  });

  it('an entry that inflates past what its header declares is refused, and one that falls short', async () => {
    const zip = zipSync({ 'trainA/a.png': image(1) });
    const actual = image(1).length;
    const [short] = zipEntries(rewrite(zip, 'trainA/a.png', { size: 10 }));
    expect(() => short!.read()).toThrow(
      'damaged zip: "trainA/a.png" holds more than 10 bytes, not the 10 its header declares',
    );
    const [long] = zipEntries(rewrite(zip, 'trainA/a.png', { size: actual + 5 }));
    expect(() => long!.read()).toThrow(
      `damaged zip: "trainA/a.png" holds ${actual} bytes, not the ${actual + 5} its header declares`,
    );
  });

  it('what is not a zip, or is cut, is refused saying so', () => {
    expect(() => unzipEntries(new Uint8Array(100))).toThrow(
      'not a zip file: its end of central directory is missing',
    );
    const zip = zipSync({ 'trainA/a.png': image(1) });
    const cut = zip.slice(zip.length - 60);
    expect(() => unzipEntries(cut)).toThrow(/^damaged zip: central entry 0 is missing/);
  });
});
