import { ActivationNode } from './Activation';
import { testNodeKind } from './nodeKindHarness';

testNodeKind(ActivationNode, [
  ...(['relu', 'leaky_relu', 'tanh', 'sigmoid'] as const).map((fn) => ({
    name: fn,
    params: { fn, alpha: 0.1 },
    inputs: { in: [2, 3, 3, 2] },
  })),
  { name: 'on vectors', params: {}, inputs: { in: [2, 5] } },
]);
