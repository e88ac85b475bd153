import { describe, expect, it } from 'vitest';
import { noNetworks, testNodeKind, thrownBy } from './nodeKindHarness';
import { ReshapeNode } from './Reshape';

testNodeKind(ReshapeNode, [
  { name: 'vector to image', params: { shape: [2, 2, 4] }, inputs: { in: [2, 16] } },
  { name: 'image to vector', params: { shape: [48] }, inputs: { in: [2, 4, 4, 3] } },
]);

describe('Reshape shape errors quote what they received', () => {
  it('Reshape to another number of values quotes both', () => {
    const error = thrownBy(() =>
      ReshapeNode.inferShapes(
        { in: [2, 100] },
        ReshapeNode.params.parse({ shape: [4, 4, 8] }),
        noNetworks,
      ),
    );
    expect(error.port).toBe('in');
    expect(error.message).toContain('2×100');
    expect(error.message).toContain('4×4×8');
    expect(error.message).toContain('128');
  });
});

describe('Reshape ceilings', () => {
  it('takes at most 3 axes, each at most 262,144', () => {
    expect(ReshapeNode.params.safeParse({ shape: [512, 512, 1] }).success).toBe(true);
    expect(ReshapeNode.params.safeParse({ shape: [1, 1, 1, 1] }).success).toBe(false);
    const over = ReshapeNode.params.safeParse({ shape: [2 ** 18 + 1] });
    expect(over.error!.issues[0]!.path).toEqual(['shape', 0]);
  });
});
