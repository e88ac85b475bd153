import { testCeilings, testNodeKind } from './nodeKindHarness';
import { OptimizerNode } from './Optimizer';

testNodeKind(OptimizerNode, [
  { name: 'two networks, lr 1e-3', params: { networks: ['G_A', 'G_B'], lr: 1e-3 } },
]);

testCeilings(OptimizerNode, { networks: ['G'] }, { updates: 100 });
