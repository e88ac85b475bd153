import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('dcgan_discriminator preset', () => {
  // Conv 3→64 (3,072) + Conv 64→128 (131,072) + BN (256) + Conv 128→256 (524,288) + BN (512) +
  // Conv 256→512 (2,097,152) + BN (1,024) + Conv 512→1 (8,192).
  it('DCGAN discriminator: 64×64 to one score, the example netD weight count', () => {
    const d = appliedPreset('dcgan_discriminator', { size: 64 }, { size: 64, channels: 3 });
    expect(d.output).toBe('2×1×1×1');
    expect(d.parameterCount).toBe(2_765_568);
    expect(appliedPreset('dcgan_discriminator', { size: 8 }, { size: 8, channels: 1 }).output).toBe(
      '2×1×1×1',
    );
  });
});
