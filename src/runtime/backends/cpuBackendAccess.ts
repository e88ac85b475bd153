import type * as tfjs from '@tensorflow/tfjs';

/** Helpers shared by the fast cpu kernels for reading and creating cpu backend tensors. */

type TensorInfo = tfjs.TensorInfo;

/** The part of tfjs's MathBackendCPU that the fast kernels use. */
export interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/** The tensor's values as float32, converting other numeric typed arrays. */
export function float32Values(
  backend: CpuBackendLike,
  tensor: TensorInfo,
  kernel: string,
): Float32Array {
  const values = backend.data.get(tensor.dataId).values;
  if (values instanceof Float32Array) return values;
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    return Float32Array.from(values as unknown as ArrayLike<number>);
  }
  throw new Error(
    `${kernel} (fast cpu kernel): expected numeric tensor data on the cpu backend, ` +
      `received ${tensor.dtype} data of shape [${tensor.shape.join(', ')}]`,
  );
}

export function requireInput(
  input: TensorInfo | undefined,
  kernel: string,
  name: string,
): TensorInfo {
  if (input === undefined) throw new Error(`${kernel} (fast cpu kernel): missing input "${name}"`);
  return input;
}
