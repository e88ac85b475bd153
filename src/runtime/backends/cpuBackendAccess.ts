import type * as tfjs from '@tensorflow/tfjs';

/**
 * What the fast cpu kernels share: reading and creating cpu backend tensors, and putting them in
 * place of the stock kernels, which stay as their fallback.
 */

type TensorInfo = tfjs.TensorInfo;
type KernelFunc = tfjs.KernelFunc;

const fastKernelFuncs = new WeakSet<KernelFunc>();

/**
 * Registers `makeFast(name, stock)` in place of each named cpu kernel. Idempotent: a kernel that
 * is already a fast one is left in place, so its stock kernel stays the fallback.
 */
export function replaceCpuKernels<Name extends string>(
  tf: typeof tfjs,
  names: readonly Name[],
  makeFast: (name: Name, stock: KernelFunc | undefined) => KernelFunc,
): void {
  for (const name of names) {
    const current = tf.getKernel(name, 'cpu') as tfjs.KernelConfig | undefined;
    if (current !== undefined && fastKernelFuncs.has(current.kernelFunc)) continue;
    if (current !== undefined) tf.unregisterKernel(name, 'cpu');
    const kernelFunc = makeFast(name, current?.kernelFunc);
    fastKernelFuncs.add(kernelFunc);
    tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc });
  }
}

/** The stock kernel for what a fast one does not support, or an error saying why there is none. */
export function runStock(
  name: string,
  stock: KernelFunc | undefined,
  args: Parameters<KernelFunc>[0],
  why: () => string,
): ReturnType<KernelFunc> {
  if (stock !== undefined) return stock(args);
  throw new Error(
    `${name} (fast cpu kernel): ${why()}, and no stock cpu kernel was registered to fall back to`,
  );
}

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
