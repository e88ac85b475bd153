import { describe, expect, it } from 'vitest';
import { DatasetNode } from './Dataset';
import { noNetworks, testCeilings, testNodeKind } from './nodeKindHarness';

testNodeKind(DatasetNode, [{ name: 'size 64', params: { size: 64 } }]);

describe('Dataset', () => {
  it('gives the shapes of what the runtime samples, one stream per domain', () => {
    const params = DatasetNode.params.parse({ size: 16, batchSize: 2 });
    expect(DatasetNode.inferShapes({}, params, noNetworks)).toEqual({
      real_A: [2, 16, 16, 3],
      real_B: [2, 16, 16, 3],
    });
  });
});

testCeilings(DatasetNode, { size: 64 }, { size: 4096, loadSize: 4096, batchSize: 1024 });
