import { describe, expect, it } from 'vitest';
import type { StepCountsResult } from '../../../../bench/stepCounts';
import { runJsonChild } from '../../../../test/jsonChild';

// One CycleGAN step of the template at 32×32, ngf = ndf = 8, 2 blocks, on webgpu in Node (Dawn),
// counted by bench/stepCounts.ts. Before the fused kernels it dispatched 5,137 programs, 1,211
// before an InstanceNorm ran with the ReLU after it (src/runtime/layerFusion.ts); the bound is
// what they reach, so that a change that unfuses one fails here.
const DISPATCH_BOUND = 1013;
// float32 on the GPU against the cpu backend's kernels: measured 1.7e-7 at most.
const LOSS_TOLERANCE = 1e-5;

type Counted = StepCountsResult & { error?: string };
const counted = (backend: string) =>
  runJsonChild<Counted>('bench/stepCounts.ts', [backend, '--blocks', '2', '--untimed'], 240_000);

describe('a training step on webgpu', () => {
  it(`dispatches at most ${DISPATCH_BOUND} programs at 32×32 and 2 blocks, with the cpu's losses`, async () => {
    const [result, cpu] = await Promise.all([counted('webgpu'), counted('cpu')]);
    expect(result.error).toBeUndefined();
    expect(result.backend).toBe('webgpu');
    expect(result.dispatches).toBeGreaterThan(0);
    expect(result.dispatches).toBeLessThanOrEqual(DISPATCH_BOUND);
    // One program per optimizer updates all of its weights.
    expect(result.programs.ganvasFlatUpdate).toBe(2);
    expect(cpu.error).toBeUndefined();
    expect(Object.keys(result.losses).sort()).toEqual(Object.keys(cpu.losses).sort());
    for (const [term, value] of Object.entries(cpu.losses)) {
      const error = Math.abs(result.losses[term]! - value) / Math.abs(value);
      expect(error, term).toBeLessThanOrEqual(LOSS_TOLERANCE);
    }
  });
});
