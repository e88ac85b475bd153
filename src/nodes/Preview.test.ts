import { testNodeKind } from './nodeKindHarness';
import { PreviewNode } from './Preview';

testNodeKind(PreviewNode, [{ name: 'defaults', params: {} }]);
