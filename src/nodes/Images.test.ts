import { describe, expect, it } from 'vitest';
import { ImagesNode } from './Images';
import { noNetworks, testCeilings, testNodeKind } from './nodeKindHarness';

const example = { size: 28, batchSize: 8 };

testNodeKind(ImagesNode, [{ name: '28×28 in batches of 8', params: example }]);

describe('Images', () => {
  it('gives the shape of what the runtime samples', () => {
    expect(ImagesNode.inferShapes({}, ImagesNode.params.parse(example), noNetworks)).toEqual({
      real: [8, 28, 28, 1],
    });
  });
});

testCeilings(ImagesNode, { size: 64 }, { size: 4096, batchSize: 1024 });
