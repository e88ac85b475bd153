import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('mlp_generator preset', () => {
  // Linear 100→128 (12,928), 128→256 (33,024) + BN (512), 256→512 (131,584) + BN (1,024),
  // 512→1024 (525,312) + BN (2,048), 1024→784 (803,600).
  it("MLP generator: PyTorch-GAN's gan.py", () => {
    const g = appliedPreset('mlp_generator', {}, { nz: 100 });
    expect(g.output).toBe('2×28×28×1');
    expect(g.parameterCount).toBe(1_510_032);
  });
});
