import { GradientPenaltyNode } from './GradientPenalty';
import { testNodeKind } from './nodeKindHarness';

testNodeKind(GradientPenaltyNode, [
  {
    name: 'images',
    params: { network: 'D', weight: 10 },
    inputs: { real: [2, 3, 3, 2], fake: [2, 3, 3, 2] },
  },
  { name: 'vectors', params: { network: 'D' }, inputs: { real: [3, 4], fake: [3, 4] } },
]);
