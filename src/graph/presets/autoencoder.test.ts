import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('autoencoder preset', () => {
  it('the autoencoder discriminator outputs one energy per sample', () => {
    const d = appliedPreset('autoencoder', { size: 32 }, { size: 32, channels: 1 });
    expect(d.output).toBe('2×1');
    expect(d.ids).toContain('energy');
  });
});
