import { describe, expect, it } from 'vitest';
import { FlattenNode } from './Flatten';
import { noNetworks, testNodeKind, thrownBy } from './nodeKindHarness';

testNodeKind(FlattenNode, [
  { name: 'images', params: {}, inputs: { in: [2, 4, 4, 3] } },
  { name: 'vectors', params: {}, inputs: { in: [3, 5] } },
]);

describe('Flatten shape errors quote what they received', () => {
  it('Flatten without a batch axis', () => {
    expect(
      thrownBy(() => FlattenNode.inferShapes({ in: [5] }, FlattenNode.params.parse({}), noNetworks))
        .message,
    ).toContain('received 5');
  });
});
