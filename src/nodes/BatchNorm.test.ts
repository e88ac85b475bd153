import { BatchNormNode } from './BatchNorm';
import { testNodeKind } from './nodeKindHarness';

testNodeKind(BatchNormNode, [
  { name: 'images', params: {}, inputs: { in: [3, 4, 4, 3] } },
  { name: 'vectors', params: { momentum: 0.5 }, inputs: { in: [4, 6] } },
]);
