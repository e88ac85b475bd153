/**
 * Text in PNG files: a compressed iTXt chunk (UTF-8, zlib) written into a PNG an encoder made,
 * and read back. Saved samples carry their graph this way, so that dropping one on the canvas
 * reopens the graph that made it. Any PNG reader shows the image and ignores the chunk.
 */
import { strFromU8, strToU8, Unzlib, zlibSync } from 'fflate';
import { DOCUMENT_SIZE_LIMIT } from '../graph/document';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The keyword of the chunk that holds a Ganvas graph document (JSON). */
export const GRAPH_KEYWORD = 'ganvas-graph';

/**
 * The most bytes a compressed text may inflate to: as much as a document may hold. A few
 * hundred KiB of deflate can inflate to GiBs; inflating stops as soon as this is passed.
 */
export const PNG_TEXT_LIMIT = DOCUMENT_SIZE_LIMIT;

/** How much compressed input is inflated at a time: at most about 1,000 times as much comes out. */
const INFLATE_SLICE = 4096;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

interface Chunk {
  type: string;
  /** Where the chunk starts (its length field) and ends (after its CRC). */
  start: number;
  end: number;
  data: Uint8Array;
}

function chunks(png: Uint8Array): Chunk[] {
  if (!isPng(png)) throw new Error('not a PNG file: its signature is missing');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const out: Chunk[] = [];
  let at = SIGNATURE.length;
  while (at + 12 <= png.length) {
    const length = view.getUint32(at);
    const end = at + 12 + length;
    if (end > png.length) throw new Error(`damaged PNG: a chunk at byte ${at} runs past the end`);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (crc32(png.subarray(at + 4, end - 4)) !== view.getUint32(end - 4)) {
      throw new Error(`damaged PNG: the ${type} chunk at byte ${at} fails its CRC check`);
    }
    out.push({ type, start: at, end, data: png.subarray(at + 8, at + 8 + length) });
    at = end;
    if (type === 'IEND') break;
  }
  return out;
}

/** A chunk as it is written: length, type, data, CRC of type and data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(strToU8(type, true), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function textChunk(keyword: string, text: string): Uint8Array {
  const key = strToU8(keyword, true);
  // keyword, NUL, compressed, method 0 (zlib), no language, NUL, no translated keyword, NUL.
  const header = new Uint8Array([...key, 0, 1, 0, 0, 0]);
  const body = zlibSync(strToU8(text));
  const data = new Uint8Array(header.length + body.length);
  data.set(header);
  data.set(body, header.length);
  return chunk('iTXt', data);
}

const COLOUR_TYPE = { 1: 0, 3: 2, 4: 6 } as const;

/**
 * An 8-bit PNG of `pixels` (rows top to bottom, channels interleaved: grey, RGB or RGBA). Each
 * row is filtered by its left neighbour ("Sub"), which halves the size of smooth images; the
 * same code runs in the browser and in Node, where a canvas or pngjs would each cover only one.
 */
export function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  channels: 1 | 3 | 4,
): Uint8Array {
  if (pixels.length !== width * height * channels) {
    throw new Error(
      `encodePng: ${pixels.length} bytes are not ${width}×${height}×${channels} pixels`,
    );
  }
  const stride = width * channels;
  const filtered = new Uint8Array(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    const row = y * stride;
    const at = y * (stride + 1);
    filtered[at] = 1;
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels[row + x - channels]! : 0;
      filtered[at + 1 + x] = (pixels[row + x]! - left) & 0xff;
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8;
  header[9] = COLOUR_TYPE[channels];
  const parts = [
    new Uint8Array(SIGNATURE),
    chunk('IHDR', header),
    chunk('IDAT', zlibSync(filtered, { level: 4 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The PNG with an iTXt chunk holding `text` under `keyword`, placed right before IEND. */
export function withPngText(png: Uint8Array, keyword: string, text: string): Uint8Array {
  const end = chunks(png).find((c) => c.type === 'IEND');
  if (!end) throw new Error('damaged PNG: it has no IEND chunk');
  const chunk = textChunk(keyword, text);
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, end.start));
  out.set(chunk, end.start);
  out.set(png.subarray(end.start), end.start + chunk.length);
  return out;
}

/**
 * zlib data inflated a slice at a time, stopping as soon as more than `limit` bytes come out, so
 * that a small chunk cannot make the reader allocate GiBs.
 */
function inflateCapped(compressed: Uint8Array, limit: number, what: string): Uint8Array {
  const parts: Uint8Array[] = [];
  let size = 0;
  const inflater = new Unzlib((part) => {
    size += part.length;
    if (size <= limit) parts.push(part);
  });
  for (let at = 0; at < compressed.length && size <= limit; at += INFLATE_SLICE) {
    const end = Math.min(at + INFLATE_SLICE, compressed.length);
    try {
      inflater.push(compressed.subarray(at, end), end === compressed.length);
    } catch (e) {
      throw new Error(`damaged PNG: ${what} does not inflate (${(e as Error).message})`, {
        cause: e,
      });
    }
  }
  if (size > limit) {
    throw new Error(`${what} inflates past ${limit / 1024 / 1024} MiB: refused`);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function utf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`damaged PNG: ${what} is not UTF-8 text`);
  }
}

/**
 * The text of the first iTXt or tEXt chunk with `keyword`; undefined when there is none. Every
 * chunk's CRC is checked, and a compressed text is refused once it inflates past `limit` bytes.
 */
export function readPngText(
  png: Uint8Array,
  keyword: string,
  limit: number = PNG_TEXT_LIMIT,
): string | undefined {
  for (const { type, data } of chunks(png)) {
    if (type !== 'iTXt' && type !== 'tEXt') continue;
    const nul = data.indexOf(0);
    if (nul < 0 || strFromU8(data.subarray(0, nul), true) !== keyword) continue;
    const what = `its "${keyword}" text`;
    if (type === 'tEXt') return strFromU8(data.subarray(nul + 1), true);
    const compressed = data[nul + 1] === 1;
    // Skip the language tag and the translated keyword, each ended by a NUL.
    const language = data.indexOf(0, nul + 3);
    const translated = data.indexOf(0, language + 1);
    if (language < 0 || translated < 0) throw new Error(`damaged PNG: ${what} is cut`);
    const body = data.subarray(translated + 1);
    return utf8(compressed ? inflateCapped(body, limit, what) : body, what);
  }
  return undefined;
}
