import type * as tfjs from '@tensorflow/tfjs';
import { type CpuBackendLike, replaceCpuKernels, requireInput, runStock } from './cpuBackendAccess';

/**
 * Faster replacements for the tfjs cpu backend's broadcasting Add, Sub, Multiply and RealDiv and
 * its Sum and Mean reductions, for float32 tensors.
 *
 * The stock binary kernels convert every output index to a location and back when either
 * operand broadcasts, and the stock reductions transpose the reduced axes innermost first; in a
 * batch-norm DCGAN step on cpu they took about 45% of the kernel time. Here both walk the
 * tensors with per-dimension strides (0 along broadcast or reduced dimensions), after dropping
 * size-1 dimensions and merging neighbours that every operand walks as one, so that the
 * innermost loop is a plain run over typed arrays.
 *
 * The results are bit-identical to the stock kernels: the binary ops round the double result of
 * two float32 values to float32 like the stock ones, Sum adds each output's terms in a double in
 * row-major order of the reduced axes, and Mean sums float32(x / n) like the stock Mean, which
 * divides before summing. Other dtypes, and reductions over axes not in ascending order (the
 * stock Sum then adds in the given order), go to the stock kernels.
 */

type Tf = typeof tfjs;
type KernelFunc = tfjs.KernelFunc;
type TensorInfo = tfjs.TensorInfo;

const BINARY_KERNEL_NAMES = ['Add', 'Sub', 'Multiply', 'RealDiv'] as const;
const REDUCE_KERNEL_NAMES = ['Sum', 'Mean'] as const;
type BinaryKernelName = (typeof BINARY_KERNEL_NAMES)[number];
type ReduceKernelName = (typeof REDUCE_KERNEL_NAMES)[number];

/** out[oo + i] = a[ao + i * sa] op b[bo + i * sb] for i < n. */
type RowOp = (
  a: Float32Array,
  ao: number,
  sa: number,
  b: Float32Array,
  bo: number,
  sb: number,
  out: Float32Array,
  oo: number,
  n: number,
) => void;

// One function per op keeps each loop monomorphic. Inner strides are 0 or 1; the general loop is
// for (0, 0), which only a single-element output has.
const addRow: RowOp = (a, ao, sa, b, bo, sb, out, oo, n) => {
  if (sa === 1 && sb === 1) {
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! + b[bo + i]!;
  } else if (sa === 1 && sb === 0) {
    const bv = b[bo]!;
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! + bv;
  } else if (sa === 0 && sb === 1) {
    const av = a[ao]!;
    for (let i = 0; i < n; i++) out[oo + i] = av + b[bo + i]!;
  } else {
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * sa]! + b[bo + i * sb]!;
  }
};

const subRow: RowOp = (a, ao, sa, b, bo, sb, out, oo, n) => {
  if (sa === 1 && sb === 1) {
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! - b[bo + i]!;
  } else if (sa === 1 && sb === 0) {
    const bv = b[bo]!;
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! - bv;
  } else if (sa === 0 && sb === 1) {
    const av = a[ao]!;
    for (let i = 0; i < n; i++) out[oo + i] = av - b[bo + i]!;
  } else {
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * sa]! - b[bo + i * sb]!;
  }
};

const mulRow: RowOp = (a, ao, sa, b, bo, sb, out, oo, n) => {
  if (sa === 1 && sb === 1) {
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! * b[bo + i]!;
  } else if (sa === 1 && sb === 0) {
    const bv = b[bo]!;
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! * bv;
  } else if (sa === 0 && sb === 1) {
    const av = a[ao]!;
    for (let i = 0; i < n; i++) out[oo + i] = av * b[bo + i]!;
  } else {
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * sa]! * b[bo + i * sb]!;
  }
};

// No multiplication by a reciprocal: that would not round like the stock a / b.
const divRow: RowOp = (a, ao, sa, b, bo, sb, out, oo, n) => {
  if (sa === 1 && sb === 1) {
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! / b[bo + i]!;
  } else if (sa === 1 && sb === 0) {
    const bv = b[bo]!;
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i]! / bv;
  } else if (sa === 0 && sb === 1) {
    const av = a[ao]!;
    for (let i = 0; i < n; i++) out[oo + i] = av / b[bo + i]!;
  } else {
    for (let i = 0; i < n; i++) out[oo + i] = a[ao + i * sa]! / b[bo + i * sb]!;
  }
};

const ROW_OPS: Record<BinaryKernelName, RowOp> = {
  Add: addRow,
  Sub: subRow,
  Multiply: mulRow,
  RealDiv: divRow,
};

interface Walk {
  dims: number[];
  /** Per operand, its element stride along each of dims. */
  strides: number[][];
}

/**
 * Drops size-1 dimensions and merges each dimension into the one before it where every operand
 * steps across both as across one (contiguous, or broadcast along both). Never empty: a
 * single-element walk is one dimension of size 1.
 */
function mergeDims(shape: readonly number[], strides: readonly (readonly number[])[]): Walk {
  const dims: number[] = [];
  const merged: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, k) => merged[k]![last] === s[d]! * size)) {
      dims[last] = dims[last]! * size;
      for (let k = 0; k < strides.length; k++) merged[k]![last] = strides[k]![d]!;
    } else {
      dims.push(size);
      for (let k = 0; k < strides.length; k++) merged[k]!.push(strides[k]![d]!);
    }
  }
  if (dims.length === 0) return { dims: [1], strides: strides.map(() => [0]) };
  return { dims, strides: merged };
}

/** Strides of a row-major operand of `shape`, right-aligned to `outShape`; 0 where it broadcasts. */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  const offset = outShape.length - shape.length;
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const size = shape[i]!;
    strides[offset + i] = size === 1 ? 0 : stride;
    stride *= size;
  }
  return strides;
}

function broadcastBinary(
  row: RowOp,
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  outShape: readonly number[],
  outSize: number,
): Float32Array {
  const out = new Float32Array(outSize);
  if (outSize === 0) return out;
  const walk = mergeDims(outShape, [
    broadcastStrides(aShape, outShape),
    broadcastStrides(bShape, outShape),
  ]);
  const { dims } = walk;
  const aStrides = walk.strides[0]!;
  const bStrides = walk.strides[1]!;
  const inner = dims.length - 1;
  const n = dims[inner]!;
  const sa = aStrides[inner]!;
  const sb = bStrides[inner]!;
  const counters = new Array<number>(inner).fill(0);
  let ao = 0;
  let bo = 0;
  for (let oo = 0; oo < outSize; oo += n) {
    row(a, ao, sa, b, bo, sb, out, oo, n);
    for (let d = inner - 1; d >= 0; d--) {
      ao += aStrides[d]!;
      bo += bStrides[d]!;
      if (++counters[d]! < dims[d]!) break;
      counters[d] = 0;
      ao -= aStrides[d]! * dims[d]!;
      bo -= bStrides[d]! * dims[d]!;
    }
  }
  return out;
}

/**
 * Sums x over the marked axes into a double per output, walking x in row-major order. With a
 * divisor, each term is float32(x / divisor) first, as in the stock Mean.
 */
function reduce(
  x: Float32Array,
  shape: readonly number[],
  reduced: readonly boolean[],
  outSize: number,
  divisor: number | undefined,
): Float32Array {
  const acc = new Float64Array(outSize);
  if (x.length > 0) {
    const outStrides = new Array<number>(shape.length).fill(0);
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      if (reduced[d]) continue;
      outStrides[d] = stride;
      stride *= shape[d]!;
    }
    const walk = mergeDims(shape, [outStrides]);
    const { dims } = walk;
    const strides = walk.strides[0]!;
    const inner = dims.length - 1;
    const n = dims[inner]!;
    const innerKept = strides[inner] === 1;
    const counters = new Array<number>(inner).fill(0);
    let oo = 0;
    for (let xo = 0; xo < x.length; xo += n) {
      if (divisor === undefined) {
        if (innerKept) {
          for (let i = 0; i < n; i++) acc[oo + i] = acc[oo + i]! + x[xo + i]!;
        } else {
          let s = acc[oo]!;
          for (let i = 0; i < n; i++) s += x[xo + i]!;
          acc[oo] = s;
        }
      } else if (innerKept) {
        for (let i = 0; i < n; i++) acc[oo + i] = acc[oo + i]! + Math.fround(x[xo + i]! / divisor);
      } else {
        let s = acc[oo]!;
        for (let i = 0; i < n; i++) s += Math.fround(x[xo + i]! / divisor);
        acc[oo] = s;
      }
      for (let d = inner - 1; d >= 0; d--) {
        oo += strides[d]!;
        if (++counters[d]! < dims[d]!) break;
        counters[d] = 0;
        oo -= strides[d]! * dims[d]!;
      }
    }
  }
  return new Float32Array(acc);
}

/** The tensor's values when it is float32 data held as such; otherwise the stock kernel runs. */
function storedFloat32(backend: CpuBackendLike, tensor: TensorInfo): Float32Array | undefined {
  if (tensor.dtype !== 'float32') return undefined;
  const values = backend.data.get(tensor.dataId).values;
  return values instanceof Float32Array ? values : undefined;
}

function isAscending(axes: readonly number[]): boolean {
  for (let i = 1; i < axes.length; i++) if (axes[i]! <= axes[i - 1]!) return false;
  return true;
}

function makeBinaryKernel(
  tf: Tf,
  name: BinaryKernelName,
  stock: KernelFunc | undefined,
): KernelFunc {
  const row = ROW_OPS[name];
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as CpuBackendLike;
    const a = requireInput(args.inputs.a, name, 'a');
    const b = requireInput(args.inputs.b, name, 'b');
    const aValues = storedFloat32(backend, a);
    const bValues = storedFloat32(backend, b);
    if (aValues === undefined || bValues === undefined) {
      return runStock(
        name,
        stock,
        args,
        () => `supports float32 only, received ${a.dtype} and ${b.dtype}`,
      );
    }
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = broadcastBinary(
      row,
      aValues,
      a.shape,
      bValues,
      b.shape,
      outShape,
      tf.util.sizeFromShape(outShape),
    );
    return backend.makeTensorInfo(outShape, 'float32', out);
  };
  return kernelFunc;
}

function makeReduceKernel(
  tf: Tf,
  name: ReduceKernelName,
  stock: KernelFunc | undefined,
): KernelFunc {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as CpuBackendLike;
    const x = requireInput(args.inputs.x, name, 'x');
    const attrs = (args.attrs ?? {}) as { axis?: number | number[] | null; keepDims?: boolean };
    // parseAxisParam treats null and undefined alike, as all axes; its type only admits neither.
    const axes = tf.util.parseAxisParam(attrs.axis as number | number[], x.shape);
    const values = storedFloat32(backend, x);
    if (values === undefined || !isAscending(axes)) {
      return runStock(
        name,
        stock,
        args,
        () => `supports float32 and ascending axes only, received ${x.dtype} and axes [${axes}]`,
      );
    }
    const [outShape, reduceShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const reduced = x.shape.map((_, d) => axes.includes(d));
    // The stock Mean divides by the reduce size as a float32 scalar.
    const divisor = name === 'Mean' ? Math.fround(tf.util.sizeFromShape(reduceShape)) : undefined;
    const out = reduce(values, x.shape, reduced, tf.util.sizeFromShape(outShape), divisor);
    const shape = attrs.keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    return backend.makeTensorInfo(shape, 'float32', out);
  };
  return kernelFunc;
}

/**
 * Replaces the cpu backend's Add, Sub, Multiply, RealDiv, Sum and Mean kernels with the faster
 * ones above. Idempotent: a kernel that is already a fast one is left in place. The replaced
 * stock kernels stay reachable as the fallback for other dtypes.
 */
export function installFastCpuElementwiseKernels(tf: Tf): void {
  replaceCpuKernels(tf, [...BINARY_KERNEL_NAMES, ...REDUCE_KERNEL_NAMES], (name, stock) =>
    name === 'Sum' || name === 'Mean'
      ? makeReduceKernel(tf, name, stock)
      : makeBinaryKernel(tf, name, stock),
  );
}
