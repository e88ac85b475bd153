import { describe, expect, it } from 'vitest';
import { gradient, jpegBytes, pngBytes } from '../../../test/data/imageFiles';
import { decodeImageInNode } from './decodeNode';
import { readImageEntry } from './folder';
import { IMAGE_PIXEL_LIMIT, imageHeaderSize, ImageTooLarge } from './imageHeader';

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A small PNG whose IHDR (CRC included) says it is width × height: a decoder would believe it. */
function pngDeclaring(width: number, height: number): Uint8Array {
  const png = new Uint8Array(pngBytes(4, 3, gradient(4, 3, 1)));
  const view = new DataView(png.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(png.subarray(12, 29)));
  return png;
}

/** A small JPEG whose start of frame says it is width × height. */
function jpegDeclaring(width: number, height: number): Uint8Array {
  const jpeg = new Uint8Array(jpegBytes(4, 3, gradient(4, 3, 1)));
  const view = new DataView(jpeg.buffer);
  const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
  view.setUint16(sof + 5, height);
  view.setUint16(sof + 7, width);
  return jpeg;
}

describe('image sizes are checked from the header, before decoding', () => {
  it('reads the size of a PNG and a JPEG from their headers', () => {
    expect(imageHeaderSize(pngBytes(4, 3, gradient(4, 3, 1)))).toEqual({ width: 4, height: 3 });
    expect(imageHeaderSize(jpegBytes(5, 2, gradient(5, 2, 1)))).toEqual({ width: 5, height: 2 });
  });

  it.each([
    ['PNG', pngDeclaring(12_000, 12_000)],
    ['JPEG', jpegDeclaring(12_000, 12_000)],
  ])('a %s declaring 12000×12000 is refused, naming the file and its size', async (_, bytes) => {
    const decoding = decodeImageInNode(bytes, 'trainA/big.img');
    await expect(decoding).rejects.toThrow(ImageTooLarge);
    await expect(decoding).rejects.toThrow(
      'trainA/big.img: 12000×12000 pixels, more than an image may have (64 Mi pixels, 8192×8192): refused before decoding',
    );
    const read = await readImageEntry(
      { path: 'trainA/big.img', bytes: async () => bytes },
      decodeImageInNode,
    );
    expect(read).toEqual({
      ok: false,
      reason: expect.stringMatching(/^too large: trainA\/big\.img: 12000×12000/),
    });
  });

  it('8192×8192 is the most an image may have', () => {
    expect(IMAGE_PIXEL_LIMIT).toBe(8192 * 8192);
  });

  it('a header that gives no size is refused as corrupt', async () => {
    const png = new Uint8Array(pngBytes(4, 3, gradient(4, 3, 1)));
    png.set([0x58, 0x58, 0x58, 0x58], 12);
    await expect(decodeImageInNode(png, 'a.png')).rejects.toThrow(
      'a.png: its header gives no image size',
    );
  });
});
