import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('encoder_decoder preset', () => {
  // Encoder: Conv 3→64 (3,072), 64→128 (131,072) + BN (256), 128→256 (524,288) + BN (512),
  // 256→512 (2,097,152) + BN (1,024); decoder: ConvT 512→256 (2,097,152) + BN (512), 256→128
  // (524,288) + BN (256), 128→64 (131,072) + BN (128), 64→3 (3,072).
  it("DiscoGAN encoder-decoder: 64×64 through 4×4 and back, DiscoGAN's weight count", () => {
    const g = appliedPreset('encoder_decoder', { size: 64 }, { size: 64, channels: 3 });
    expect(g.output).toBe('2×64×64×3');
    expect(g.parameterCount).toBe(5_513_856);
  });
});
