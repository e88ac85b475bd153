/** Small PNG and JPEG files made from procedural pixels, and dataset folders of them, for tests. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';

/** RGBA pixels: red rises left to right, green top to bottom, blue is the seed's. */
export function gradient(width: number, height: number, seed: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      rgba[i] = Math.round((255 * x) / Math.max(1, width - 1));
      rgba[i + 1] = Math.round((255 * y) / Math.max(1, height - 1));
      rgba[i + 2] = (seed * 53) % 256;
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

export function pngBytes(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data.set(rgba);
  return PNG.sync.write(png);
}

export function jpegBytes(width: number, height: number, rgba: Uint8Array): Uint8Array {
  return encodeJpeg({ width, height, data: rgba }, 95).data;
}

/** Bytes that no decoder takes for an image: what a damaged download looks like. */
export function corruptBytes(length = 200, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

/**
 * The reference layout with a few PNG and JPEG files per domain (of different sizes), one
 * corrupt file named .png, and a text file: path inside the folder -> bytes.
 */
export function datasetFiles(): Map<string, Uint8Array> {
  return new Map<string, Uint8Array>([
    ['trainA/a0.png', pngBytes(24, 20, gradient(24, 20, 0))],
    ['trainA/a1.jpg', jpegBytes(20, 24, gradient(20, 24, 1))],
    ['trainA/a2.PNG', pngBytes(40, 40, gradient(40, 40, 2))],
    ['trainA/broken.png', corruptBytes()],
    ['trainB/b0.png', pngBytes(16, 16, gradient(16, 16, 3))],
    ['trainB/b1.jpeg', jpegBytes(30, 18, gradient(30, 18, 4))],
    ['testA/t0.png', pngBytes(12, 12, gradient(12, 12, 5))],
    ['notes.txt', new TextEncoder().encode('horses and zebras')],
  ]);
}

export function temporaryFolder(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ganvas-${prefix}-`));
}

export function writeFiles(root: string, files: ReadonlyMap<string, Uint8Array>): string {
  for (const [path, bytes] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), bytes);
  }
  return root;
}
