/**
 * What one training step asks of the backend, counted: tfjs kernels (`tf.profile`), WebGPU
 * programs dispatched (the webgpu backend's `runWebGPUProgram`), buffer-to-buffer copies the fused
 * optimizer encodes, and reads back to the host (the backend's `read`). On a real GPU a tfjs
 * step is bound by the number of dispatches, not by arithmetic: this is the figure to watch.
 */
import type { TF } from '../../../nodes/kind';

export interface StepCounts {
  kernels: number;
  dispatches: number;
  /** Dispatches by program (its class or, for the fused ones, its shader key), most first. */
  programs: Record<string, number>;
  copies: number;
  hostReads: number;
  /**
   * GPU milliseconds by tfjs kernel, most first, from WebGPU timestamp queries; empty where the
   * device has none (Dawn grants them with the allow_unsafe_apis toggle).
   */
  gpuMsByKernel: Record<string, number>;
}

interface CountedBackend {
  runWebGPUProgram?: (...args: unknown[]) => unknown;
  read?: (...args: unknown[]) => unknown;
  readSync?: (...args: unknown[]) => unknown;
}

let copies = 0;

/** The fused optimizer reports each buffer copy it encodes here. */
export function countCopies(n: number): void {
  copies += n;
}

function programName(program: unknown): string {
  const { shaderKey, constructor } = program as {
    shaderKey?: string;
    constructor: { name: string };
  };
  // Bundlers may suffix class names with digits.
  return shaderKey?.startsWith('ganvas')
    ? shaderKey.split('_')[0]!
    : constructor.name.replace(/\d+$/, '');
}

/**
 * Runs `step` once under `tf.profile` with the backend's dispatch and read entry points wrapped,
 * and returns the counts. The wrapping is undone afterwards.
 */
export async function countStep(tf: TF, step: () => Promise<unknown>): Promise<StepCounts> {
  const backend = tf.backend() as unknown as CountedBackend;
  const counts = { dispatches: 0, hostReads: 0 };
  const programs = new Map<string, number>();
  const originals = {
    runWebGPUProgram: backend.runWebGPUProgram,
    read: backend.read,
    readSync: backend.readSync,
  };
  const wrap = (name: keyof typeof originals, counter: keyof typeof counts) => {
    const original = originals[name];
    if (!original) return;
    backend[name] = function (this: unknown, ...args: unknown[]) {
      counts[counter]++;
      if (name === 'runWebGPUProgram') {
        const name = programName(args[0]);
        programs.set(name, (programs.get(name) ?? 0) + 1);
      }
      return original.apply(this, args);
    };
  };
  wrap('runWebGPUProgram', 'dispatches');
  wrap('read', 'hostReads');
  wrap('readSync', 'hostReads');
  const copiesBefore = copies;
  try {
    const profile = await tf.profile(async () => {
      await step();
    });
    const sorted = [...programs].sort((a, b) => b[1] - a[1]);
    const gpuMs = new Map<string, number>();
    for (const kernel of profile.kernels) {
      const ms = kernel.kernelTimeMs;
      if (typeof ms === 'number' && ms > 0)
        gpuMs.set(kernel.name, (gpuMs.get(kernel.name) ?? 0) + ms);
    }
    return {
      kernels: profile.kernels.length,
      ...counts,
      programs: Object.fromEntries(sorted),
      gpuMsByKernel: Object.fromEntries([...gpuMs].sort((a, b) => b[1] - a[1])),
      copies: copies - copiesBefore,
    };
  } finally {
    for (const [name, original] of Object.entries(originals)) {
      if (original) backend[name as keyof typeof originals] = original;
    }
  }
}
