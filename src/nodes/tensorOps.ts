/**
 * tfjs computations shared by several node kinds. Each takes the tf namespace, so that node
 * files stay free of run-time tfjs imports.
 */
import type { Tensor4D } from '@tensorflow/tfjs';
import type { TF, Tensor } from './kind';

/**
 * Kernels a backend may provide as one program each (the webgpu backend does, see
 * src/runtime/backends/webgpu), in place of the chains of small ops below. On a GPU a tfjs step
 * is bound by how many programs it dispatches; where no backend registered them, the ops below
 * compute the same values and gradients.
 */
export const FUSED_KERNELS = {
  /** x (NHWC) -> reflection padded; attrs { pad }. */
  reflectionPad: 'GanvasReflectionPad',
  /** x (NHWC) -> instance normalised, then activated; attrs { eps, activation, alpha }. */
  instanceNorm: 'GanvasInstanceNorm',
  /** a, b -> mean distance (a scalar); attrs { distance: 'l1' | 'l2' }. */
  meanDistance: 'GanvasMeanDistance',
  /** a -> mean distance to the constant `offset` (a scalar); attrs { distance, offset }. */
  meanDistanceToConstant: 'GanvasMeanDistanceToConstant',
} as const;

function hasFusedKernel(tf: TF, name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/**
 * A fresh 4-element array with `value` at `axis` and `rest` elsewhere. Always fresh: tfjs keeps
 * the arrays passed to slice as the op's attributes and reads them again for the gradient, so
 * reusing one array for two slices silently corrupts the first slice's gradient.
 */
function along(axis: number, value: number, rest = 0): number[] {
  const out = [rest, rest, rest, rest];
  out[axis] = value;
  return out;
}

/**
 * Reflection padding of H and W (PyTorch's ReflectionPad2d) built from slice, reverse and
 * concat: tfjs 4.22's mirrorPad gradient drops the reflected border contributions.
 */
export function reflectionPad(tf: TF, x: Tensor, pad: number): Tensor4D {
  let y = x as Tensor4D;
  if (pad === 0) return y;
  if (hasFusedKernel(tf, FUSED_KERNELS.reflectionPad)) {
    return tf.engine().runKernel(FUSED_KERNELS.reflectionPad, { x }, { pad }) as Tensor4D;
  }
  for (const axis of [1, 2] as const) {
    const size = y.shape[axis];
    const head = tf.reverse(tf.slice(y, along(axis, 1), along(axis, pad, -1)), axis);
    const tail = tf.reverse(tf.slice(y, along(axis, size - 1 - pad), along(axis, pad, -1)), axis);
    y = tf.concat([head, y, tail], axis);
  }
  return y;
}

/** Edge-replicating padding of H and W (PyTorch's ReplicationPad2d). */
export function replicationPad(tf: TF, x: Tensor, pad: number): Tensor4D {
  let y = x as Tensor4D;
  if (pad === 0) return y;
  for (const axis of [1, 2] as const) {
    const size = y.shape[axis];
    const head = tf.slice(y, along(axis, 0), along(axis, 1, -1));
    const tail = tf.slice(y, along(axis, size - 1), along(axis, 1, -1));
    const reps = along(axis, pad, 1);
    y = tf.concat([tf.tile(head, reps), y, tf.tile(tail, reps)], axis);
  }
  return y;
}

export function zeroPad(tf: TF, x: Tensor, pad: number): Tensor4D {
  return tf.pad(x as Tensor4D, [
    [0, 0],
    [pad, pad],
    [pad, pad],
    [0, 0],
  ]);
}

export type PaddingMode = 'reflect' | 'replicate' | 'zero';

export function padSpatial(tf: TF, x: Tensor, pad: number, mode: PaddingMode): Tensor4D {
  if (mode === 'reflect') return reflectionPad(tf, x, pad);
  if (mode === 'replicate') return replicationPad(tf, x, pad);
  return zeroPad(tf, x, pad);
}

/** What may follow an instance norm inside its fused kernel. */
export type NormActivation = { fn: 'none' } | { fn: 'relu' } | { fn: 'leaky_relu'; alpha: number };

/**
 * Normalizes each sample and channel over H and W with the biased variance (InstanceNorm2d),
 * then applies `activation`: one kernel forward and one backward where the backend fuses them.
 */
export function instanceNorm(
  tf: TF,
  x: Tensor,
  eps: number,
  activation: NormActivation = { fn: 'none' },
): Tensor {
  if (hasFusedKernel(tf, FUSED_KERNELS.instanceNorm)) {
    const alpha = activation.fn === 'leaky_relu' ? activation.alpha : 0;
    const attrs = { eps, activation: activation.fn, alpha };
    return tf.engine().runKernel(FUSED_KERNELS.instanceNorm, { x }, attrs) as Tensor;
  }
  const { mean, variance } = tf.moments(x, [1, 2], true);
  const y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
  if (activation.fn === 'relu') return tf.relu(y);
  if (activation.fn === 'leaky_relu') return tf.leakyRelu(y, activation.alpha);
  return y;
}

/**
 * The mean L1 or L2 distance between `input` and `target` (a tensor of the same shape, or a
 * constant): the reduction at the heart of the reconstruction and least-squares losses.
 */
export function meanDistance(
  tf: TF,
  input: Tensor,
  target: Tensor | number,
  distance: 'l1' | 'l2',
): Tensor {
  if (typeof target !== 'number' && hasFusedKernel(tf, FUSED_KERNELS.meanDistance)) {
    const inputs = { a: input, b: target };
    return tf.engine().runKernel(FUSED_KERNELS.meanDistance, inputs, { distance }) as Tensor;
  }
  if (typeof target === 'number' && hasFusedKernel(tf, FUSED_KERNELS.meanDistanceToConstant)) {
    const attrs = { distance, offset: target };
    return tf
      .engine()
      .runKernel(FUSED_KERNELS.meanDistanceToConstant, { a: input }, attrs) as Tensor;
  }
  const diff = typeof target === 'number' && target === 0 ? input : tf.sub(input, target);
  return tf.mean(distance === 'l1' ? tf.abs(diff) : tf.square(diff));
}
