import { describe, expect, it } from 'vitest';
import { noNetworks, testCeilings, testNodeKind } from './nodeKindHarness';
import { NoiseNode } from './Noise';

const example = { dim: 8, batchSize: 4, distribution: 'uniform' };

testNodeKind(NoiseNode, [{ name: 'uniform, 8 values in batches of 4', params: example }]);

describe('Noise', () => {
  it('gives the shape of what the runtime samples, on a noise port', () => {
    expect(NoiseNode.inferShapes({}, NoiseNode.params.parse(example), noNetworks)).toEqual({
      out: [4, 8],
    });
    expect(NoiseNode.outputs(NoiseNode.params.parse({}))).toEqual([
      expect.objectContaining({ type: 'noise' }),
    ]);
  });
});

testCeilings(NoiseNode, {}, { dim: 65536, batchSize: 1024 });
