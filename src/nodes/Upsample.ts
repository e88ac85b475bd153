import { z } from 'zod';
import { attr } from './graphDef';
import { defineNodeKind, type TF, type Tensor } from './kind';
import { expectImageLike } from './shapeRules';

const params = z.object({
  // Generators upsample by 2 per layer; 16 at once is already a coarse stretch.
  scale: z
    .number()
    .int()
    .min(1)
    .max(16)
    .default(2)
    .describe('Each of height and width is multiplied by this'),
  mode: z
    .enum(['nearest', 'bilinear'])
    .default('nearest')
    .describe('Copy the nearest pixel, or interpolate linearly (align_corners=False)'),
});

type UpsampleParams = z.infer<typeof params>;

/**
 * Repeats one axis `scale` times: output row k·scale + r is phase r of input row k. Stacking the
 * phases after the axis and merging the two axes interleaves them.
 */
function interleave(tf: TF, x: Tensor, axis: 1 | 2, scale: number, phase: (r: number) => Tensor) {
  const phases = Array.from({ length: scale }, (_, r) => phase(r));
  const shape = [...x.shape];
  shape[axis] = shape[axis]! * scale;
  return tf.reshape(tf.stack(phases, axis + 1), shape);
}

/** The neighbour before (after) each row along `axis`, the border row standing in for itself. */
function shifted(tf: TF, x: Tensor, axis: 1 | 2, direction: -1 | 1): Tensor {
  const size = x.shape[axis]!;
  if (size === 1) return x;
  const at = (begin: number, length: number) => {
    const b = [0, 0, 0, 0];
    const s = [-1, -1, -1, -1];
    b[axis] = begin;
    s[axis] = length;
    return tf.slice(x, b, s);
  };
  return direction === -1
    ? tf.concat([at(0, 1), at(0, size - 1)], axis)
    : tf.concat([at(1, size - 1), at(size - 1, 1)], axis);
}

/**
 * PyTorch's Upsample(align_corners=False) along one axis. Nearest: output i takes input
 * floor(i / scale). Bilinear: output i samples input (i + 0.5) / scale - 0.5, clamped at the
 * borders, a fixed blend of a row and its neighbour for each phase r = i mod scale.
 */
function upsampleAxis(tf: TF, x: Tensor, axis: 1 | 2, p: UpsampleParams): Tensor {
  if (p.mode === 'nearest') return interleave(tf, x, axis, p.scale, () => x);
  const before = shifted(tf, x, axis, -1);
  const after = shifted(tf, x, axis, 1);
  return interleave(tf, x, axis, p.scale, (r) => {
    const t = (r + 0.5) / p.scale - 0.5;
    if (t === 0) return x;
    const neighbour = t < 0 ? before : after;
    const w = Math.abs(t);
    return tf.add(tf.mul(x, 1 - w), tf.mul(neighbour, w));
  });
}

/**
 * Upsampling by an integer factor in PyTorch's nn.Upsample semantics (align_corners=False), built
 * from stack, slice and concat: in tfjs 4.22, tf.image.resizeBilinear's gradient ignores
 * halfPixelCenters (which PyTorch's bilinear sampling needs) and has H and W swapped on the cpu
 * backend, and resizeNearestNeighbor's cpu gradient is wrong for batches larger than one.
 */
export const UpsampleNode = defineNodeKind({
  kind: 'Upsample',
  category: 'layers',
  behavior: 'layer',
  description: 'Enlarges height and width by an integer factor (nearest or bilinear)',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs, p) {
    const [n, h, w, c] = expectImageLike(inputs.in, 'in');
    return { out: [n, h * p.scale, w * p.scale, c] };
  },
  apply(tf, inputs, _vars, p) {
    return { out: upsampleAxis(tf, upsampleAxis(tf, inputs.in!, 1, p), 2, p) };
  },
  // The resize ops run forward only, where they are right. With half-pixel centres, bilinear
  // samples (i + 0.5) / scale - 0.5 clamped at the borders, PyTorch's align_corners=False, and
  // nearest reads floor((i + 0.5) / scale) = floor(i / scale), half a pixel away from where a
  // rounding error (float32 in GPU shaders) could move it to the next row.
  exportGraph(graph, inputs, _vars, p, shapes) {
    const [, height, width] = shapes.outputs.out!;
    const op = p.mode === 'nearest' ? 'ResizeNearestNeighbor' : 'ResizeBilinear';
    return {
      out: graph.op(op, [inputs.in!, graph.intConst([height!, width!])], {
        align_corners: attr.bool(false),
        half_pixel_centers: attr.bool(true),
      }),
    };
  },
});
