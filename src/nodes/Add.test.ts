import { describe, expect, it } from 'vitest';
import { AddNode } from './Add';
import { noNetworks, testNodeKind, thrownBy } from './nodeKindHarness';

testNodeKind(AddNode, [
  { name: 'images', params: {}, inputs: { a: [2, 4, 4, 3], b: [2, 4, 4, 3] } },
]);

describe('Add shape errors quote what they received', () => {
  it('Add of different shapes names port b and both shapes', () => {
    const error = thrownBy(() =>
      AddNode.inferShapes(
        { a: [2, 4, 4, 3], b: [2, 4, 4, 6] },
        AddNode.params.parse({}),
        noNetworks,
      ),
    );
    expect(error.port).toBe('b');
    expect(error.message).toContain('2×4×4×3');
    expect(error.message).toContain('2×4×4×6');
  });
});
