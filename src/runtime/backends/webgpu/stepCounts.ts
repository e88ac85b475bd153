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
  copies: number;
  hostReads: number;
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

/**
 * Runs `step` once under `tf.profile` with the backend's dispatch and read entry points wrapped,
 * and returns the counts. The wrapping is undone afterwards.
 */
export async function countStep(tf: TF, step: () => Promise<unknown>): Promise<StepCounts> {
  const backend = tf.backend() as unknown as CountedBackend;
  const counts = { dispatches: 0, hostReads: 0 };
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
    return { kernels: profile.kernels.length, ...counts, copies: copies - copiesBefore };
  } finally {
    for (const [name, original] of Object.entries(originals)) {
      if (original) backend[name as keyof typeof originals] = original;
    }
  }
}
