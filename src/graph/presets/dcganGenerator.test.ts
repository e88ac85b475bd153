import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';
import { expandPreset } from './index';

describe('dcgan_generator preset', () => {
  // ConvT 100→512 (819,200) + BN (1,024) + ConvT 512→256 (2,097,152) + BN (512) + ConvT
  // 256→128 (524,288) + BN (256) + ConvT 128→64 (131,072) + BN (128) + ConvT 64→3 (3,072).
  it('DCGAN generator: noise to 64×64 with the example netG weight count and names', () => {
    const g = appliedPreset('dcgan_generator', { size: 64 }, { nz: 100 });
    expect(g.output).toBe('2×64×64×3');
    expect(g.parameterCount).toBe(3_576_704);
    expect(g.ids).toEqual(expect.arrayContaining(['main.0', 'main.12', 'main.13']));
    expect(appliedPreset('dcgan_generator', { size: 32, output_nc: 1 }, { nz: 100 }).output).toBe(
      '2×32×32×1',
    );
  });

  it('DCGAN sizes are powers of 2, at least 8', () => {
    const result = expandPreset('dcgan_generator', { size: 28 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toContain('power of 2');
  });
});
