import type * as tfjs from '@tensorflow/tfjs';
import { installFastCpuConvKernels } from './cpuConvKernels';
import { installFastCpuElementwiseKernels } from './cpuElementwiseKernels';
import { installFusedWebGPUKernels } from './webgpu/fusedKernels';

type Tf = typeof tfjs;

export type BackendRequest = 'cpu' | 'webgpu' | 'webgl' | 'auto';

export interface BackendSelection {
  backend: string;
  /** Why the selected backend differs from the request ('auto' only). */
  reason?: string;
  /** The WebGPU adapter, when WebGPU runs. */
  adapter?: string;
}

export interface SelectBackendOptions {
  /**
   * Called when the WebGPU device is lost, whatever the reason and whether or not a step is under
   * way (destroyed included: nothing here destroys its own device); logs by default.
   */
  onDeviceLost?: (message: string) => void;
}

export interface WebGPUAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  isFallbackAdapter?: boolean;
}

interface GPUDeviceLike {
  lost?: Promise<{ reason?: string; message?: string }>;
}

/**
 * Held in a variable so that bundlers leave the import alone: the module loads the native
 * `webgpu` package and Node built-ins, none of which a browser bundle can hold.
 */
const NODE_WEBGPU_MODULE = './nodeWebgpu.ts';

const watchedDevices = new WeakSet<object>();

function isNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions?.node === 'string';
}

/** "vendor architecture device (description)", leaving out what the adapter does not report. */
export function describeAdapter(adapter: WebGPUAdapterLike): string {
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.device].filter((part) => part).join(' ');
  const described = info.description ? `${name} (${info.description})` : name;
  const fallback = adapter.isFallbackAdapter ? ' [fallback adapter]' : '';
  return (described || 'unnamed adapter') + fallback;
}

/** Software rasterisers: right for testing, slower than the cpu backend for training. */
export function isSoftwareAdapter(adapterInfo: string): boolean {
  return /swiftshader|llvmpipe|lavapipe|software|fallback adapter/i.test(adapterInfo);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function setBackendOrThrow(tf: Tf, name: string, unavailable: string): Promise<void> {
  if (!(await tf.setBackend(name))) {
    throw new Error(
      `${unavailable}: tf.setBackend('${name}') resolved to false ` +
        '(tfjs logged the initialisation error to the console)',
    );
  }
}

function watchDeviceLoss(tf: Tf, onDeviceLost: (message: string) => void): void {
  const device = (tf.backend() as { device?: GPUDeviceLike }).device;
  if (device === undefined || device.lost === undefined || watchedDevices.has(device)) return;
  watchedDevices.add(device);
  // tfjs never listens for device loss: without this, every later op fails with unrelated
  // validation errors, and a device lost while training is paused or idle goes unnoticed until
  // the next step.
  void device.lost.then((info) => {
    onDeviceLost(
      `WebGPU device lost (${info.reason ?? 'unknown reason'}): ${info.message || 'no message'}. ` +
        'Tensors on the webgpu backend are gone; select a backend again to continue.',
    );
  });
}

async function browserWebGPUAdapterInfo(): Promise<string> {
  const gpu = (
    globalThis as {
      navigator?: { gpu?: { requestAdapter(): Promise<WebGPUAdapterLike | null> } };
    }
  ).navigator?.gpu;
  if (gpu === undefined) {
    throw new Error('WebGPU is not available: this browser has no navigator.gpu');
  }
  const adapter = await gpu.requestAdapter();
  if (adapter === null) {
    throw new Error('WebGPU is not available: navigator.gpu.requestAdapter() returned no adapter');
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  return describeAdapter(adapter);
}

/** Registers the webgpu backend (Dawn in Node) and returns its adapter's description. */
async function prepareWebGPU(): Promise<string> {
  if (!isNode()) return browserWebGPUAdapterInfo();
  const { installNodeWebGPU } = (await import(
    /* @vite-ignore */ NODE_WEBGPU_MODULE
  )) as typeof import('./nodeWebgpu');
  return (await installNodeWebGPU()).adapterInfo;
}

async function activateWebGPU(
  tf: Tf,
  adapterInfo: string,
  options: SelectBackendOptions,
): Promise<void> {
  installFusedWebGPUKernels(tf);
  await setBackendOrThrow(tf, 'webgpu', `WebGPU is not available (adapter: ${adapterInfo})`);
  watchDeviceLoss(tf, options.onDeviceLost ?? ((message) => console.error(message)));
}

async function activateWebGL(tf: Tf): Promise<void> {
  if (isNode()) throw new Error('WebGL is not available in Node: request cpu or webgpu');
  await setBackendOrThrow(tf, 'webgl', 'WebGL is not available');
}

async function activateCpu(tf: Tf): Promise<void> {
  installFastCpuConvKernels(tf);
  installFastCpuElementwiseKernels(tf);
  await setBackendOrThrow(tf, 'cpu', 'The cpu backend is not available');
}

/**
 * 'auto' takes WebGPU, then WebGL (browser only), then cpu, and says why it passed over each.
 * In Node a software WebGPU adapter is passed over too: there the cpu backend with the fast
 * kernels is faster. Probing WebGPU in Node loads Dawn even when the answer is cpu.
 */
async function selectAutomatically(
  tf: Tf,
  options: SelectBackendOptions,
): Promise<BackendSelection> {
  const skipped: string[] = [];
  try {
    const adapterInfo = await prepareWebGPU();
    if (isNode() && isSoftwareAdapter(adapterInfo)) {
      skipped.push(`webgpu runs on a software adapter (${adapterInfo})`);
    } else {
      await activateWebGPU(tf, adapterInfo, options);
      return { backend: 'webgpu', adapter: adapterInfo };
    }
  } catch (error) {
    skipped.push(errorMessage(error));
  }
  if (!isNode()) {
    try {
      await activateWebGL(tf);
      return { backend: 'webgl', reason: skipped.join('; ') };
    } catch (error) {
      skipped.push(errorMessage(error));
    }
  }
  await activateCpu(tf);
  return { backend: 'cpu', reason: skipped.join('; ') };
}

/**
 * Makes the requested tfjs backend current and waits for it. 'cpu' gets the fast kernels of
 * cpuConvKernels.ts and cpuElementwiseKernels.ts. An explicit request that cannot be met throws
 * ("WebGPU is not available: ..."); only 'auto' falls back.
 */
export async function selectBackend(
  tf: Tf,
  requested: BackendRequest,
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  let selection: BackendSelection;
  switch (requested) {
    case 'cpu':
      await activateCpu(tf);
      selection = { backend: 'cpu' };
      break;
    case 'webgpu': {
      const adapter = await prepareWebGPU();
      await activateWebGPU(tf, adapter, options);
      selection = { backend: 'webgpu', adapter };
      break;
    }
    case 'webgl':
      await activateWebGL(tf);
      selection = { backend: 'webgl' };
      break;
    case 'auto':
      selection = await selectAutomatically(tf, options);
      break;
  }
  await tf.ready();
  return selection;
}
