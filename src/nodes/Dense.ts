import { z } from 'zod';
import type { Tensor2D } from '@tensorflow/tfjs';
import { attr } from './graphDef';
import { defineNodeKind, ShapeError, type WeightSpec } from './kind';
import { expectConnected, formatShape } from './shapeRules';

/**
 * At most 262,144 (2^18) units: a 256×256×4 image from an MLP generator. The reference MLPs use
 * up to 1,024 hidden units; DCGAN's projection 4·4·8·ngf = 8,192.
 */
export const DENSE_MAX_UNITS = 2 ** 18;

const params = z.object({
  units: z.number().int().positive().max(DENSE_MAX_UNITS).describe('Output features'),
  bias: z.boolean().default(true),
});

function expectVector(shape: readonly number[] | undefined): [number, number] {
  const s = expectConnected(shape, 'in');
  if (s.length !== 2) {
    throw new ShapeError(
      `input "in" must be a 2-D tensor N×D (flatten images first), received ${formatShape(s)}`,
      'in',
    );
  }
  return s as [number, number];
}

/**
 * A fully connected layer (PyTorch's Linear). The weight is stored [in, out]; PyTorch's is
 * [out, in], hence torchLayout 'dense' (transposed).
 */
export const DenseNode = defineNodeKind({
  kind: 'Dense',
  category: 'layers',
  behavior: 'layer',
  description: 'Fully connected layer: N×D in, N×units out',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs, p) {
    const [n] = expectVector(inputs.in);
    return { out: [n, p.units] };
  },
  weights(inputs, p) {
    const [, d] = expectVector(inputs.in);
    const vars: WeightSpec[] = [
      {
        name: 'weight',
        shape: [d, p.units],
        init: 'normal',
        trainable: true,
        torchLayout: 'dense',
      },
    ];
    if (p.bias) {
      vars.push({
        name: 'bias',
        shape: [p.units],
        init: 'zeros',
        trainable: true,
        torchLayout: 'same',
      });
    }
    return vars;
  },
  apply(tf, inputs, vars, p) {
    const y = tf.matMul(inputs.in as Tensor2D, vars.weight as Tensor2D);
    return { out: p.bias ? tf.add(y, vars.bias!) : y };
  },
  exportGraph(graph, inputs, vars, p) {
    const y = graph.op('MatMul', [inputs.in!, vars.weight!], {
      transpose_a: attr.bool(false),
      transpose_b: attr.bool(false),
    });
    return { out: p.bias ? graph.op('BiasAdd', [y, vars.bias!]) : y };
  },
});
