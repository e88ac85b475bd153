import { describe, expect, it } from 'vitest';
import { runJsonChild } from '../../../../test/jsonChild';

// bench/fusedKernels.ts computes every fused kernel and the unfused ops it replaces, both on
// webgpu in Node (Dawn, SwiftShader here): values, gradients of sum(output · r), and three
// optimizer steps (weights and slots). Tolerance: max |fused - unfused| <= 1e-5 · max(1, max
// |unfused|); both run float32 on the same device, so only summation order differs.
const TOLERANCE = 1e-5;

interface Result {
  cases?: Record<string, { error: number; scale: number }>;
  error?: string;
}

const EXPECTED_CASES = [
  'reflection pad 1 gradient 0',
  'reflection pad 3 value',
  'instance norm gradient 0',
  'instance norm, relu gradient 0',
  'instance norm, leaky_relu gradient 0',
  'mean l1 distance gradient 1',
  'mean l2 distance value',
  'mean squared distance to 1 gradient 0',
  'adam net.w0',
  'adam v/net.w0',
  'adam, clipped net.w1',
  'rmsprop v/net.w2',
  'sgd net.w2',
];

describe('fused webgpu kernels', () => {
  it('equal the unfused ops in value and gradient, and the per-weight optimizer rules', async () => {
    const result = await runJsonChild<Result>('bench/fusedKernels.ts', [], 120_000);
    expect(result.error).toBeUndefined();
    const cases = result.cases!;
    for (const name of EXPECTED_CASES) expect(Object.keys(cases)).toContain(name);
    for (const [name, { error, scale }] of Object.entries(cases)) {
      expect(error, name).toBeLessThanOrEqual(TOLERANCE * Math.max(1, scale));
    }
  });
});
