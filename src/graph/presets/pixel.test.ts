import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('pixel preset', () => {
  it('the pixel discriminator judges every pixel', () => {
    expect(appliedPreset('pixel', {}, { size: 64, channels: 3 }).output).toBe('2×64×64×1');
  });
});
