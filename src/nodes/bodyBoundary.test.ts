import { InputNode, OutputNode } from './bodyBoundary';
import { testNodeKind } from './nodeKindHarness';

testNodeKind(InputNode, [{ name: 'defaults', params: {} }]);

testNodeKind(OutputNode, [{ name: 'defaults', params: {} }]);
