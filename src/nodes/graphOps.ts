/**
 * GraphDef computations shared by several node kinds' `exportGraph`, the exported counterparts of
 * tensorOps.ts: each gives, at inference, what the tfjs computation of the same name gives.
 */
import { attr, type GraphAttr, type GraphBuilder } from './graphDef';
import type { Padding } from './shapeRules';
import type { PaddingMode } from './tensorOps';

/** [[0, 0], [pad, pad], [pad, pad], [0, 0]] as the int32 [4, 2] tensor the Pad ops take. */
function spatialPaddings(graph: GraphBuilder, pad: number): string {
  return graph.intConst([0, 0, pad, pad, pad, pad, 0, 0], [4, 2]);
}

/** A Conv2D or Conv2DBackpropInput padding: PyTorch's numeric padding on both sides, explicitly. */
export function convPaddingAttrs(padding: Padding): Record<string, GraphAttr> {
  if (typeof padding !== 'number') return { padding: attr.string(padding.toUpperCase()) };
  return {
    padding: attr.string('EXPLICIT'),
    explicit_paddings: attr.ints([0, 0, padding, padding, padding, padding, 0, 0]),
  };
}

export function conv2dGraph(
  graph: GraphBuilder,
  x: string,
  weight: string,
  stride: number,
  padding: Padding,
): string {
  return graph.op('Conv2D', [x, weight], {
    strides: attr.ints([1, stride, stride, 1]),
    dilations: attr.ints([1, 1, 1, 1]),
    data_format: attr.string('NHWC'),
    ...convPaddingAttrs(padding),
  });
}

/**
 * Edge-replicating padding as replicationPad builds it (slice the border, tile it, concat).
 * MirrorPad SYMMETRIC repeats the edge only for a padding of 1.
 */
function replicationPadGraph(
  graph: GraphBuilder,
  x: string,
  shape: readonly number[],
  pad: number,
): string {
  let y = x;
  for (const axis of [1, 2]) {
    const size = shape[axis]!;
    const along = (value: number, rest: number) =>
      [rest, rest, rest, rest].map((v, i) => (i === axis ? value : v));
    const begin = (at: number) => graph.intConst(along(at, 0));
    const border = (at: number) => graph.op('Slice', [y, begin(at), graph.intConst(along(1, -1))]);
    const reps = along(pad, 1);
    const head = graph.op('Tile', [border(0), graph.intConst(reps)]);
    const tail = graph.op('Tile', [border(size - 1), graph.intConst(reps)]);
    y = graph.op('ConcatV2', [head, y, tail, graph.intConst([axis], [])], { N: attr.int(3) });
  }
  return y;
}

/** Pads H and W of an NHWC tensor of shape `shape` (its batch size is free) as padSpatial does. */
export function padSpatialGraph(
  graph: GraphBuilder,
  x: string,
  shape: readonly number[],
  pad: number,
  mode: PaddingMode,
): string {
  if (pad === 0) return x;
  if (mode === 'replicate') return replicationPadGraph(graph, x, shape, pad);
  if (mode === 'zero') return graph.op('Pad', [x, spatialPaddings(graph, pad)]);
  return graph.op('MirrorPad', [x, spatialPaddings(graph, pad)], { mode: attr.string('REFLECT') });
}

/** instanceNorm's ops: mean and biased variance over H and W, per sample and channel. */
export function instanceNormGraph(graph: GraphBuilder, x: string, eps: number): string {
  const axes = graph.intConst([1, 2]);
  const keep = { keep_dims: attr.bool(true) };
  const mean = graph.op('Mean', [x, axes], keep);
  const variance = graph.op('Mean', [graph.op('SquaredDifference', [x, mean]), axes], keep);
  const scale = graph.op('Rsqrt', [graph.op('AddV2', [variance, graph.floatConst([eps])])]);
  return graph.op('Mul', [graph.op('Sub', [x, mean]), scale]);
}
