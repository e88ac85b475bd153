import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';

describe('unet preset', () => {
  it('U-Net-256 maps 256×256 to 256×256 through a 1×1 bottleneck, with the reference weight count', () => {
    // pix2pix's default generator (unet_256, ngf 64, batch norm): 54.414 M weights in the reference.
    const g = appliedPreset('unet', { num_downs: 8, norm: 'batch' }, { size: 256, channels: 3 });
    expect(g.output).toBe('2×256×256×3');
    const innermost = 'model.model.1.model.3.model.3.model.3.model.3.model.3.model.3.model.';
    expect(g.layer(`${innermost}1`)).toBe('2×1×1×512');
    expect((g.parameterCount / 1e6).toFixed(3)).toBe('54.414');
  });

  it('U-Net-128 has 7 down-samplings', () => {
    const g = appliedPreset('unet', { num_downs: 7 }, { size: 128, channels: 3 });
    expect(g.output).toBe('2×128×128×3');
  });

  it('U-Net skip connections concatenate the encoder activation with the decoder output', () => {
    const g = appliedPreset('unet', { num_downs: 5, ngf: 8 }, { size: 32, channels: 3 });
    // Outermost skip joins 8 encoder channels and 8 decoder channels.
    expect(g.layer('model.model.1.skip')).toBe('2×16×16×16');
  });
});
