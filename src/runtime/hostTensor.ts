/**
 * A tensor's values on the host (plain memory, not the backend's): what a batch source hands
 * the trainer and what a checkpoint or a preview reads back. It crosses a worker boundary.
 */
import type { TF, Tensor } from '../nodes/kind';

export interface HostTensor {
  data: Float32Array;
  shape: number[];
}

/** Reads a tensor back from the backend; `await t.data()` because dataSync breaks WebGPU. */
export async function readHostTensor(t: Tensor): Promise<HostTensor> {
  return { shape: [...t.shape], data: (await t.data()) as Float32Array };
}

/** A new backend tensor holding the host values; the caller owns it. */
export function toTensor(tf: TF, t: HostTensor): Tensor {
  return tf.tensor(t.data, t.shape);
}
