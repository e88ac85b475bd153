import { describe, expect, it } from 'vitest';
import { formatShapeIn } from './shapeOrder';

describe('shapes written in the chosen order', () => {
  it('writes an image N×H×W×C as the graph holds it, and N×C×H×W in PyTorch order', () => {
    expect(formatShapeIn([1, 64, 32, 3], 'NHWC')).toBe('1×64×32×3');
    expect(formatShapeIn([1, 64, 32, 3], 'NCHW')).toBe('1×3×64×32');
  });

  it('leaves shapes without channels and height alone', () => {
    expect(formatShapeIn([8, 100], 'NCHW')).toBe('8×100');
    expect(formatShapeIn([], 'NCHW')).toBe('scalar');
  });
});
