/**
 * tfjs computations shared by several node kinds. Each takes the tf namespace, so that node
 * files stay free of run-time tfjs imports.
 */
import type { Tensor4D } from '@tensorflow/tfjs';
import type { TF, Tensor } from './kind';

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

/** Normalizes each sample and channel over H and W with the biased variance (InstanceNorm2d). */
export function instanceNorm(tf: TF, x: Tensor, eps: number): Tensor {
  const { mean, variance } = tf.moments(x, [1, 2], true);
  return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
}
