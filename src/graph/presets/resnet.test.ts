import { describe, expect, it } from 'vitest';
import { appliedPreset } from './appliedPreset';
import { expandPreset } from './index';

describe('resnet preset', () => {
  it('ResNet-6 and ResNet-9 differ only in residual blocks', () => {
    const images = { size: 128, channels: 3 } as const;
    const six = appliedPreset('resnet', { n_blocks: 6 }, images);
    const nine = appliedPreset('resnet', { n_blocks: 9 }, images);
    const perBlock = (nine.parameterCount - six.parameterCount) / 3;
    expect(perBlock).toBe(2 * (3 * 3 * 256 * 256 + 256));
  });

  it('layer ids are the reference module paths, so weights import by name', () => {
    const result = expandPreset('resnet', { n_blocks: 2 });
    if (!result.ok) throw new Error('preset failed');
    const ids = result.body.nodes.map((n) => n.id);
    expect(ids).toEqual(
      expect.arrayContaining(['model.1', 'model.10', 'model.11', 'model.12', 'model.19']),
    );
    expect(result.body.nodes.find((n) => n.id === 'model.12')!.params).toMatchObject({
      transposed: true,
      outputPadding: 1,
    });
  });
});
