/**
 * PNG and JPEG decoding in a browser worker, with the browser's own codecs: createImageBitmap
 * decodes off the page's thread, and an OffscreenCanvas hands back the pixels. Resizing is left
 * to the shared code (imageResize.ts), so a folder loads to the same pixels as in Node.
 */
import type { ImageDecoder } from './folder';
import { checkImageHeader } from './imageHeader';

export const decodeImageInBrowser: ImageDecoder = async (bytes, path) => {
  checkImageHeader(bytes, path);
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
  try {
    const { width, height } = bitmap;
    const context = new OffscreenCanvas(width, height).getContext('2d');
    if (!context) throw new Error('this browser gives no 2D canvas in a worker');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, width, height).data;
    return { width, height, rgba: new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.length) };
  } finally {
    bitmap.close();
  }
};
