import { z } from 'zod';
import { defineNodeKind } from './kind';
import { instanceNormGraph } from './graphOps';
import { expectImageLike } from './shapeRules';
import { instanceNorm } from './tensorOps';

const params = z.object({
  eps: z.number().positive().default(1e-5),
  affine: z.boolean().default(false).describe('Learn a per-channel scale and shift'),
});

/** Instance normalization as the reference uses it: biased variance, eps 1e-5, no affine. */
export const InstanceNormNode = defineNodeKind({
  kind: 'InstanceNorm',
  category: 'layers',
  behavior: 'layer',
  description: 'Normalizes each image and channel over height and width',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs) {
    return { out: expectImageLike(inputs.in, 'in') };
  },
  weights(inputs, p) {
    if (!p.affine) return [];
    const c = expectImageLike(inputs.in, 'in')[3];
    return [
      { name: 'weight', shape: [c], init: 'ones', trainable: true, torchLayout: 'same' },
      { name: 'bias', shape: [c], init: 'zeros', trainable: true, torchLayout: 'same' },
    ];
  },
  apply(tf, inputs, vars, p) {
    const y = instanceNorm(tf, inputs.in!, p.eps);
    return { out: p.affine ? tf.add(tf.mul(y, vars.weight!), vars.bias!) : y };
  },
  exportGraph(graph, inputs, vars, p) {
    const y = instanceNormGraph(graph, inputs.in!, p.eps);
    return {
      out: p.affine ? graph.op('AddV2', [graph.op('Mul', [y, vars.weight!]), vars.bias!]) : y,
    };
  },
});
