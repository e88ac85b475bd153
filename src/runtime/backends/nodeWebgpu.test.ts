import { describe, expect, it } from 'vitest';
import type { TrainingRun } from '../../../bench/nodeWebgpu';
import { runChild } from '../../../test/jsonChild';

// WebGPU runs in a child process that exits explicitly: Dawn's GPU object can keep a process
// alive (seen with earlier builds of the webgpu package), which would hang vitest's worker, and a
// crash in the native driver stays out of the test runner. The child trains the same tiny
// conv net (conv, strided conv, transposed conv) on webgpu and on cpu from seeded weights.
// Tolerance: max |webgpu - cpu| <= 1e-4 * max |cpu| per tensor (float32 on the GPU against
// double-accumulated cpu kernels).
const TOLERANCE = 1e-4;
const CHILD_TIMEOUT_MS = 120_000;

interface ChildResult {
  adapterInfo?: string;
  runs?: { webgpu: TrainingRun; cpu: TrainingRun };
  error?: string;
}

function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  expect(scale, `${what}: cpu reference is all zeros`).toBeGreaterThan(0);
  expect(worst / scale, `${what}: max error relative to max |cpu|`).toBeLessThanOrEqual(TOLERANCE);
}

describe('WebGPU in Node (Dawn)', () => {
  it('trains a tiny conv net to the cpu backend results and exits', async () => {
    const {
      code,
      json: result,
      stderr,
    } = await runChild<ChildResult>('bench/nodeWebgpu.ts', [], CHILD_TIMEOUT_MS);
    expect(result.error, stderr).toBeUndefined();
    expect(code).toBe(0);
    expect(result.adapterInfo).toBeTruthy();
    const { webgpu, cpu } = result.runs!;
    expectClose(webgpu.losses, cpu.losses, 'losses');
    for (const name of Object.keys(cpu.gradients)) {
      expectClose(webgpu.gradients[name]!, cpu.gradients[name]!, `first-step gradient of ${name}`);
      expectClose(webgpu.weights[name]!, cpu.weights[name]!, `trained ${name}`);
    }
    expect(cpu.losses[cpu.losses.length - 1]!).toBeLessThan(cpu.losses[0]!);
  });
});
