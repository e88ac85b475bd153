import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('patchgan preset', () => {
  it('PatchGAN n_layers sets the depth: 70×70 patches give 30×30 scores at 256', () => {
    const images = { size: 256, channels: 3 } as const;
    expect(appliedPreset('patchgan', { n_layers: 3 }, images).output).toBe('2×30×30×1');
    expect(appliedPreset('patchgan', { n_layers: 1 }, images).output).toBe('2×126×126×1');
  });
});
