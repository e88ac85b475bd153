import { ImagePoolNode } from './ImagePool';
import { testNodeKind } from './nodeKindHarness';

testNodeKind(ImagePoolNode, [{ name: 'defaults', params: {} }]);
