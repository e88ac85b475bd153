import { ImagePoolNode } from './ImagePool';
import { testCeilings, testNodeKind } from './nodeKindHarness';

testNodeKind(ImagePoolNode, [{ name: 'defaults', params: {} }]);

testCeilings(ImagePoolNode, {}, { size: 10000 });
