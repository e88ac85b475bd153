import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('mlp_discriminator preset', () => {
  // Linear 784→512 (401,920), 512→256 (131,328), 256→1 (257).
  it("MLP discriminator: PyTorch-GAN's gan.py", () => {
    const d = appliedPreset('mlp_discriminator', {}, { size: 28, channels: 1 });
    expect(d.output).toBe('2×1');
    expect(d.parameterCount).toBe(533_505);
  });
});
