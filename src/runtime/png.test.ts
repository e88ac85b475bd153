import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { GRAPH_KEYWORD, isPng, readPngText, withPngText } from './png';

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
