/**
 * PNG and JPEG decoding for Node (`ganvas train --data <folder>`, `ganvas translate`): pure
 * JavaScript decoders, as Node has no image codecs of its own. The browser decodes with its own
 * codecs instead (decodeBrowser.ts).
 */
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { ImageDecoder } from './folder';
import { checkImageHeader } from './imageHeader';

export const decodeImageInNode: ImageDecoder = async (bytes, path) => {
  checkImageHeader(bytes, path);
  if (bytes[0] === 0x89) {
    // pngjs gives 8-bit RGBA for every PNG: gray, palette and 16-bit ones are converted.
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, rgba: png.data };
  }
  const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: jpeg.width, height: jpeg.height, rgba: jpeg.data };
};

/** An 8-bit RGB image as PNG bytes. */
export function encodePng(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    png.data[4 * i] = rgb[3 * i]!;
    png.data[4 * i + 1] = rgb[3 * i + 1]!;
    png.data[4 * i + 2] = rgb[3 * i + 2]!;
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png);
}
