import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('unet_resnet preset', () => {
  it('the U-Net with a residual bottleneck maps 256×256 to 256×256 through 1×1', () => {
    const g = appliedPreset('unet_resnet', { num_downs: 8 }, { size: 256, channels: 3 });
    expect(g.output).toBe('2×256×256×3');
    expect(g.ids).toEqual(expect.arrayContaining(['bottleneck.0', 'bottleneck.2', 'up.0.4']));
  });
});
