/**
 * Weight layouts: PyTorch stores a Conv2d weight as [out, in, kh, kw], a ConvTranspose2d weight
 * as [in, out, kh, kw] and a Linear weight as [out, in]; tfjs wants [kh, kw, in, out],
 * [kh, kw, out, in] and [in, out]. Both conv layouts map by the axes [2, 3, 1, 0], with no flip.
 */
import type { WeightSpec } from '../nodes/kind';

export function permute(
  data: Float32Array,
  shape: readonly number[],
  perm: readonly number[],
): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p]!);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out = new Float32Array(data.length);
  const index = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += index[k]! * strides[perm[k]!]!;
    out[o] = data[src]!;
    for (let k = outShape.length - 1; k >= 0; k--) {
      if (++index[k]! < outShape[k]!) break;
      index[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

const TO_TFJS: Record<WeightSpec['torchLayout'], number[] | null> = {
  conv2d: [2, 3, 1, 0],
  convTranspose2d: [2, 3, 1, 0],
  dense: [1, 0],
  same: null,
};

export function torchToTfjs(
  data: Float32Array,
  shape: readonly number[],
  layout: WeightSpec['torchLayout'],
): { data: Float32Array; shape: number[] } {
  const perm = TO_TFJS[layout];
  return perm ? permute(data, shape, perm) : { data, shape: [...shape] };
}

export function tfjsToTorch(
  data: Float32Array,
  shape: readonly number[],
  layout: WeightSpec['torchLayout'],
): { data: Float32Array; shape: number[] } {
  const perm = TO_TFJS[layout];
  if (!perm) return { data, shape: [...shape] };
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return permute(data, shape, inverse);
}
