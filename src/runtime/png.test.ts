import { zlibSync } from 'fflate';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { encodePng, GRAPH_KEYWORD, isPng, PNG_TEXT_LIMIT, readPngText, withPngText } from './png';

function png(width: number, height: number): Uint8Array {
  const image = new PNG({ width, height });
  image.data.fill(200);
  return PNG.sync.write(image);
}

describe('text in PNG files', () => {
  it('a graph written into a PNG reads back, and the image still decodes the same', () => {
    const original = png(5, 3);
    // Not Latin-1: an iTXt chunk holds UTF-8.
    const text = JSON.stringify({ name: 'G_A (A→B) 256×256', nodes: [] });
    const written = withPngText(original, GRAPH_KEYWORD, text);
    expect(isPng(written)).toBe(true);
    expect(readPngText(written, GRAPH_KEYWORD)).toBe(text);
    expect(readPngText(written, 'other')).toBeUndefined();
    // pngjs checks every chunk's CRC: a wrong one would throw.
    const decoded = PNG.sync.read(Buffer.from(written));
    expect(decoded.width).toBe(5);
    expect([...decoded.data]).toEqual([...PNG.sync.read(Buffer.from(original)).data]);
  });

  it('a PNG without the chunk has no text, and other files are refused with the reason', () => {
    expect(readPngText(png(2, 2), GRAPH_KEYWORD)).toBeUndefined();
    expect(() => readPngText(new TextEncoder().encode('{"format":1}'), GRAPH_KEYWORD)).toThrow(
      'not a PNG file: its signature is missing',
    );
    const cut = png(2, 2).slice(0, 20);
    expect(() => readPngText(cut, GRAPH_KEYWORD)).toThrow(
      /^damaged PNG: a chunk at byte 8 runs past the end/,
    );
  });
});

/** A PNG whose graph text is `text`'s zlib stream as given (a bomb, when it is made so). */
function withCompressedText(compressed: Uint8Array): Uint8Array {
  // The chunk withPngText writes, with its compressed body swapped for `compressed`.
  const marker = 'marker';
  const written = withPngText(png(2, 2), GRAPH_KEYWORD, marker);
  const view = new DataView(written.buffer);
  let at = 8;
  while (String.fromCharCode(...written.subarray(at + 4, at + 8)) !== 'iTXt') {
    at += 12 + view.getUint32(at);
  }
  const header = GRAPH_KEYWORD.length + 5;
  const data = new Uint8Array(header + compressed.length);
  data.set(written.subarray(at + 8, at + 8 + header));
  data.set(compressed, header);
  const chunk = new Uint8Array(12 + data.length);
  const chunkView = new DataView(chunk.buffer);
  chunkView.setUint32(0, data.length);
  chunk.set(written.subarray(at + 4, at + 8), 4);
  chunk.set(data, 8);
  chunkView.setUint32(8 + data.length, crcOf(chunk.subarray(4, 8 + data.length)));
  const end = at + 12 + view.getUint32(at);
  const out = new Uint8Array(at + chunk.length + written.length - end);
  out.set(written.subarray(0, at));
  out.set(chunk, at);
  out.set(written.subarray(end), at + chunk.length);
  return out;
}

function crcOf(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('reading PNG text is bounded and checked', () => {
  it('a text that inflates past the cap is refused at the cap, naming it', () => {
    // 16 MiB of spaces deflate to about 16 KiB: the 1.1 GiB bomb of the issue, scaled down.
    const bomb = withCompressedText(zlibSync(new Uint8Array(16 * 1024 * 1024).fill(32)));
    expect(bomb.length).toBeLessThan(50 * 1024);
    expect(() => readPngText(bomb, GRAPH_KEYWORD)).toThrow(
      `its "ganvas-graph" text inflates past ${PNG_TEXT_LIMIT / 1024 / 1024} MiB: refused`,
    );
  });

  it('a text just under the cap reads', () => {
    const text = 'x'.repeat(PNG_TEXT_LIMIT);
    expect(readPngText(withPngText(png(2, 2), GRAPH_KEYWORD, text), GRAPH_KEYWORD)).toHaveLength(
      PNG_TEXT_LIMIT,
    );
  });

  it('a chunk whose CRC does not match is refused, naming the chunk', () => {
    const written = withPngText(png(2, 2), GRAPH_KEYWORD, '{"a":1}');
    const flipped = written.slice();
    const at = flipped.length - 20;
    flipped[at] = flipped[at]! ^ 1;
    expect(() => readPngText(flipped, GRAPH_KEYWORD)).toThrow(
      /^damaged PNG: the iTXt chunk at byte \d+ fails its CRC check$/,
    );
  });

  it('text that is not UTF-8 and a stream that does not inflate are refused as damaged', () => {
    const latin = withCompressedText(zlibSync(new Uint8Array([0x7b, 0xff, 0x7d])));
    expect(() => readPngText(latin, GRAPH_KEYWORD)).toThrow(
      'damaged PNG: its "ganvas-graph" text is not UTF-8 text',
    );
    const broken = withCompressedText(new Uint8Array([0x78, 0x9c, 0xff, 0xff, 0xff]));
    expect(() => readPngText(broken, GRAPH_KEYWORD)).toThrow(
      /^damaged PNG: its "ganvas-graph" text does not inflate/,
    );
  });
});

describe('encoding PNG files', () => {
  it('grey, RGB and RGBA images decode with pngjs to the same pixels', () => {
    const width = 7;
    const height = 5;
    for (const channels of [1, 3, 4] as const) {
      const pixels = Uint8Array.from(
        { length: width * height * channels },
        (_, i) => (i * 37) & 0xff,
      );
      const decoded = PNG.sync.read(Buffer.from(encodePng(pixels, width, height, channels)));
      expect([decoded.width, decoded.height]).toEqual([width, height]);
      // pngjs gives RGBA whatever the file holds.
      for (let p = 0; p < width * height; p++) {
        const rgba = decoded.data.subarray(p * 4, p * 4 + 4);
        const source = pixels.subarray(p * channels, (p + 1) * channels);
        const expected =
          channels === 1
            ? [source[0], source[0], source[0], 255]
            : channels === 3
              ? [...source, 255]
              : [...source];
        expect([...rgba]).toEqual(expected);
      }
    }
  });

  it('pixels that do not fill the size are refused, naming the size', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2, 3)).toThrow(/10 bytes are not 2×2×3 pixels/);
  });
});
