/**
 * Writes a contact sheet of the built-in day/night scenes as a PNG, to look at the dataset:
 * each scene's day render (domain A) above its night render (domain B).
 *
 *   npx tsx scripts/render-scenes.ts out.png [--size 64] [--count 8] [--seed 0] [--columns 8]
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { renderScene } from '../src/runtime/data/scenes';

const USAGE =
  'usage: npx tsx scripts/render-scenes.ts out.png [--size 64] [--count 8] [--seed 0] [--columns 8]';

function parseArguments(argv: string[]) {
  const options = { out: '', size: 64, count: 8, seed: 0, columns: 8 };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    if (argument.startsWith('--')) {
      const name = argument.slice(2);
      const value = Number(argv[++i]);
      if (!(name in options) || name === 'out' || !Number.isInteger(value)) {
        throw new Error(`${argument}: expected a known option with an integer value\n${USAGE}`);
      }
      options[name as 'size' | 'count' | 'seed' | 'columns'] = value;
    } else {
      options.out = argument;
    }
  }
  if (!options.out) throw new Error(USAGE);
  return options;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'ascii');
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/** An 8-bit RGB PNG (no filtering) from `rgb`, row-major, 3 bytes a pixel. */
function encodePng(rgb: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    raw.set(rgb.subarray(y * width * 3, (y + 1) * width * 3), y * (1 + width * 3) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

function main(): void {
  const { out, size, count, seed, columns } = parseArguments(process.argv.slice(2));
  const gap = 2;
  const columnCount = Math.min(columns, count);
  const rowCount = Math.ceil(count / columnCount);
  const width = columnCount * (size + gap) - gap;
  const height = rowCount * (2 * size + 2 * gap) - gap;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  for (let n = 0; n < count; n++) {
    const left = (n % columnCount) * (size + gap);
    const top = Math.floor(n / columnCount) * (2 * size + 2 * gap);
    (['A', 'B'] as const).forEach((domain, d) => {
      const image = renderScene(seed + n, size, domain);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const target = ((top + d * size + y) * width + left + x) * 3;
          for (let c = 0; c < 3; c++) {
            rgb[target + c] = Math.round((image[(y * size + x) * 3 + c]! + 1) * 127.5);
          }
        }
      }
    });
  }
  writeFileSync(out, encodePng(rgb, width, height));
  console.log(`${out}: ${count} scenes at ${size}x${size}, day above night`);
}

main();
