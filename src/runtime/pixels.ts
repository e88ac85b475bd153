/**
 * Pixels between the two forms they take: bytes (0-255, as image files and canvases hold them)
 * and the [-1, 1] floats networks train on, as the reference converts them (ToTensor then
 * Normalize(0.5, 0.5) on the way in, tensor2im on the way out). Pure, without tfjs: the page
 * uses it as well as the worker, the CLI and the datasets.
 */

/** A byte as a value in [-1, 1]. */
export function valueOfByte(byte: number): number {
  return byte / 127.5 - 1;
}

/** A value in [-1, 1] as a byte, rounded; what falls outside is clamped to 0-255, NaN is 0. */
export function byteOfValue(value: number): number {
  const byte = Math.round((value + 1) * 127.5);
  return byte > 255 ? 255 : byte >= 0 ? byte : 0;
}

/** A grey level in [0, 1] (as MNIST's files hold them) as a byte. */
export function byteOfUnit(level: number): number {
  return Math.round(level * 255);
}

/** RGB bytes as one image's [-1, 1] values, HWC: 3 channels as they are, 1 the mean of the three. */
export function rgbToValues(rgb: ArrayLike<number>, channels: 1 | 3 = 3): Float32Array {
  const pixels = rgb.length / 3;
  const values = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    if (channels === 1) {
      values[p] = valueOfByte((rgb[p * 3]! + rgb[p * 3 + 1]! + rgb[p * 3 + 2]!) / 3);
    } else {
      for (let c = 0; c < 3; c++) values[p * 3 + c] = valueOfByte(rgb[p * 3 + c]!);
    }
  }
  return values;
}

/** The first `pixels` pixels of [-1, 1] values with `channels` channels (1: grey) as RGB bytes. */
export function valuesToRgb(
  values: ArrayLike<number>,
  pixels: number,
  channels: number,
): Uint8Array {
  return writeBytes(values, pixels, channels, new Uint8Array(pixels * 3), 3);
}

/** As valuesToRgb, with an opaque alpha byte after each pixel: what an ImageData holds. */
export function valuesToRgba(
  values: ArrayLike<number>,
  pixels: number,
  channels: number,
): Uint8ClampedArray {
  return writeBytes(values, pixels, channels, new Uint8ClampedArray(pixels * 4).fill(255), 4);
}

function writeBytes<T extends Uint8Array | Uint8ClampedArray>(
  values: ArrayLike<number>,
  pixels: number,
  channels: number,
  out: T,
  stride: number,
): T {
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      out[p * stride + c] = byteOfValue(values[p * channels + (channels === 1 ? 0 : c)]!);
    }
  }
  return out;
}
