/**
 * Resizing decoded images, in plain code so that a folder loads to the same pixels in Node and
 * in the browser's worker (a canvas's smoothing differs between browsers).
 */

/** A decoded image: 8-bit RGBA, row by row. */
export interface DecodedImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/**
 * Per output pixel of one axis: the first input pixel it reads and the weight of each. A triangle
 * filter widened by the scale when shrinking, so every input pixel contributes (as PIL's
 * antialiased bilinear resize does); bilinear interpolation when enlarging. At equal sizes the
 * weights are exactly one pixel's, so the image is copied unchanged.
 */
function axisWeights(from: number, to: number): { first: number; weights: Float32Array }[] {
  const scale = from / to;
  const support = Math.max(scale, 1);
  return Array.from({ length: to }, (_, i) => {
    const center = (i + 0.5) * scale;
    const first = Math.max(0, Math.floor(center - support));
    const last = Math.min(from - 1, Math.ceil(center + support));
    const weights = new Float32Array(last - first + 1);
    let total = 0;
    for (let j = first; j <= last; j++) {
      const w = Math.max(0, 1 - Math.abs(j + 0.5 - center) / support);
      weights[j - first] = w;
      total += w;
    }
    for (let k = 0; k < weights.length; k++) weights[k]! /= total;
    return { first, weights };
  });
}

/**
 * The image resized to `width` x `height` (aspect ratio not kept, as the reference's
 * resize_and_crop resizes to load_size x load_size), as 8-bit RGB: alpha is dropped, as PIL's
 * convert('RGB') drops it.
 */
export function resizeToRgb(image: DecodedImage, width: number, height: number): Uint8Array {
  const { width: inWidth, height: inHeight, rgba } = image;
  if (rgba.length !== inWidth * inHeight * 4) {
    throw new Error(
      `resizeToRgb: expected ${inWidth}x${inHeight}x4 = ${inWidth * inHeight * 4} values, received ${rgba.length}`,
    );
  }
  const columns = axisWeights(inWidth, width);
  const rows = axisWeights(inHeight, height);
  const wide = new Float32Array(inHeight * width * 3);
  for (let y = 0; y < inHeight; y++) {
    for (let x = 0; x < width; x++) {
      const { first, weights } = columns[x]!;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k]!;
        const at = (y * inWidth + first + k) * 4;
        r += w * rgba[at]!;
        g += w * rgba[at + 1]!;
        b += w * rgba[at + 2]!;
      }
      const to = (y * width + x) * 3;
      wide[to] = r;
      wide[to + 1] = g;
      wide[to + 2] = b;
    }
  }
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const { first, weights } = rows[y]!;
    for (let x = 0; x < width * 3; x++) {
      let v = 0;
      for (let k = 0; k < weights.length; k++)
        v += weights[k]! * wide[(first + k) * width * 3 + x]!;
      out[y * width * 3 + x] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
  return out;
}
