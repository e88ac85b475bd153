/**
 * An image's size read from its header (PNG IHDR, JPEG SOF), so that a file is refused before a
 * decoder allocates its pixels: a 12000×12000 PNG of a few KB decodes to 0.7 GB.
 */

/**
 * The most pixels an image may have: 64 Mi (8192 × 8192), far above any training image (they are
 * resized to at most a few hundred pixels a side), and 256 MiB of RGBA at most when decoded.
 */
export const IMAGE_PIXEL_LIMIT = 64 * 1024 * 1024;

/** An image with more pixels than IMAGE_PIXEL_LIMIT. */
export class ImageTooLarge extends Error {}

/** Width and height from a PNG's or JPEG's header; undefined when the header gives none. */
export function imageHeaderSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0x89 && bytes.length >= 24) {
    // The IHDR chunk comes first: its width and height follow the signature and chunk header.
    if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return undefined;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    // Start of frame (every SOFn but DHT, JPG and DAC), which holds the size.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      if (at + 9 > bytes.length) return undefined;
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    if (marker === 0xda) return undefined;
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}

/**
 * Throws an ImageTooLarge naming the file and its size when its header declares more than
 * IMAGE_PIXEL_LIMIT pixels, and an Error when the header gives no size.
 */
export function checkImageHeader(bytes: Uint8Array, path: string): void {
  const size = imageHeaderSize(bytes);
  if (!size) throw new Error(`${path}: its header gives no image size`);
  if (size.width * size.height > IMAGE_PIXEL_LIMIT) {
    throw new ImageTooLarge(
      `${path}: ${size.width}×${size.height} pixels, more than an image may have (${IMAGE_PIXEL_LIMIT / 1024 / 1024} Mi pixels, 8192×8192): refused before decoding`,
    );
  }
}
