import { describe, expect, it } from 'vitest';
import { expandPreset } from './index';

describe('expanding a preset', () => {
  it('an unknown preset or a bad preset param is reported with its place', () => {
    expect(expandPreset('resnet50', {})).toMatchObject({
      ok: false,
      problems: [{ path: ['name'] }],
    });
    const bad = expandPreset('resnet', { n_blocks: -1, ngf: 8, nope: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.map((p) => p.path.join('.'))).toEqual(
        expect.arrayContaining(['params.n_blocks', 'params']),
      );
    }
  });
});
