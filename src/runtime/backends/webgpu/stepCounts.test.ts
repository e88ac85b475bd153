import { describe, expect, it } from 'vitest';
import type { StepCountsResult } from '../../../../bench/stepCounts';
import { runJsonChild } from '../../../../test/jsonChild';

// One CycleGAN step of the template at 32×32, ngf = ndf = 8, 2 blocks, on webgpu in Node (Dawn),
// counted by bench/stepCounts.ts. Before the fused kernels it dispatched 5,137 programs; the
// bound is what the fused kernels reach, so that a change that unfuses one fails here.
const DISPATCH_BOUND = 1211;

describe('a training step on webgpu', () => {
  it(`dispatches at most ${DISPATCH_BOUND} programs at 32×32 and 2 blocks`, async () => {
    const result = await runJsonChild<StepCountsResult & { error?: string }>(
      'bench/stepCounts.ts',
      ['webgpu', '--blocks', '2', '--untimed'],
      240_000,
    );
    expect(result.error).toBeUndefined();
    expect(result.backend).toBe('webgpu');
    expect(result.dispatches).toBeGreaterThan(0);
    expect(result.dispatches).toBeLessThanOrEqual(DISPATCH_BOUND);
    // One program per optimizer updates all of its weights.
    expect(result.programs.ganvasFlatUpdate).toBe(2);
  });
});
