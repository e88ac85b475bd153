/**
 * tfjs computations shared by several node kinds. Each takes the tf namespace, so that node
 * files stay free of run-time tfjs imports.
 */
import type { Tensor4D } from '@tensorflow/tfjs';
import type { TF, Tensor } from './kind';

/**
 * Reflection padding of H and W (PyTorch's ReflectionPad2d) built from slice, reverse and
 * concat: tfjs 4.22's mirrorPad gradient drops the reflected border contributions.
 */
export function reflectionPad(tf: TF, x: Tensor, pad: number): Tensor4D {
  let y = x as Tensor4D;
  if (pad === 0) return y;
  for (const axis of [1, 2] as const) {
    const size = y.shape[axis];
    const begin = [0, 0, 0, 0];
    const sliceSize = [-1, -1, -1, -1];
    begin[axis] = 1;
    sliceSize[axis] = pad;
    const head = tf.reverse(tf.slice(y, begin, sliceSize), axis);
    begin[axis] = size - 1 - pad;
    const tail = tf.reverse(tf.slice(y, begin, sliceSize), axis);
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
    const begin = [0, 0, 0, 0];
    const sliceSize = [-1, -1, -1, -1];
    sliceSize[axis] = 1;
    const head = tf.slice(y, begin, sliceSize);
    begin[axis] = size - 1;
    const tail = tf.slice(y, begin, sliceSize);
    const reps = [1, 1, 1, 1];
    reps[axis] = pad;
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
