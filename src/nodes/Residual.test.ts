import { testNodeKind } from './nodeKindHarness';
import { ResidualNode } from './Residual';

testNodeKind(ResidualNode, [
  ...(['instance', 'batch', 'none'] as const).flatMap((norm) =>
    (['reflect', 'replicate', 'zero'] as const).flatMap((padding) =>
      [false, true].map((dropout) => ({
        name: `norm ${norm}, padding ${padding}${dropout ? ', dropout' : ''}`,
        params: { norm, padding, dropout },
        inputs: { in: [2, 6, 6, 4] },
      })),
    ),
  ),
  { name: 'no bias', params: { norm: 'batch', bias: false }, inputs: { in: [2, 4, 4, 3] } },
]);
