import { DiscriminatorNode, GeneratorNode } from './networkApplication';
import { testNodeKind } from './nodeKindHarness';

testNodeKind(GeneratorNode, [{ name: 'applies G_A', params: { network: 'G_A' } }]);

testNodeKind(DiscriminatorNode, [
  { name: 'applies D_A with taps', params: { network: 'D_A', taps: ['model.2', 'model.4'] } },
]);
