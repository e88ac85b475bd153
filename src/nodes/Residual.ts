import { z } from 'zod';
import type { Tensor4D } from '@tensorflow/tfjs';
import { defineNodeKind, ShapeError, type WeightSpec } from './kind';
import { batchNorm, batchNormGraph, batchNormWeights } from './BatchNorm';
import { conv2dGraph, instanceNormGraph, padSpatialGraph } from './graphOps';
import { expectImageLike, formatShape } from './shapeRules';
import { instanceNorm, padSpatial } from './tensorOps';

const params = z.object({
  norm: z.enum(['instance', 'batch', 'none']).default('instance'),
  padding: z.enum(['reflect', 'replicate', 'zero']).default('reflect'),
  dropout: z.boolean().default(false).describe('Dropout 0.5 between the two convolutions'),
  bias: z
    .boolean()
    .default(true)
    .describe('Convolution bias (the reference uses one only with instance norm)'),
});

type ResidualParams = z.infer<typeof params>;

type Step = { index: number; op: 'pad' | 'conv' | 'norm' | 'relu' | 'dropout' };

/**
 * The layers of the reference's ResnetBlock in its nn.Sequential order, so that each weight is
 * named as in the reference's state_dict (conv_block.1.weight, conv_block.5.weight, ...).
 */
function blockLayout(p: ResidualParams): Step[] {
  const ops: Step['op'][] = [];
  const half = (withRelu: boolean) => {
    if (p.padding !== 'zero') ops.push('pad');
    ops.push('conv', 'norm');
    if (withRelu) ops.push('relu');
  };
  half(true);
  if (p.dropout) ops.push('dropout');
  half(false);
  return ops.map((op, index) => ({ index, op }));
}

/** x + conv_block(x), where conv_block is pad, 3×3 conv, norm, ReLU, pad, 3×3 conv, norm. */
export const ResidualNode = defineNodeKind({
  kind: 'Residual',
  category: 'layers',
  behavior: 'layer',
  description: 'ResNet block: two 3×3 convolutions with a skip connection',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs, p) {
    const shape = expectImageLike(inputs.in, 'in');
    // As PyTorch's ReflectionPad2d: a reflection cannot reach past the opposite border.
    if (p.padding === 'reflect' && (shape[1] <= 1 || shape[2] <= 1)) {
      throw new ShapeError(
        `reflection padding 1 needs an input larger than 1 on each side, received ${formatShape(shape)}`,
        'in',
      );
    }
    return { out: shape };
  },
  weights(inputs, p) {
    const c = expectImageLike(inputs.in, 'in')[3];
    const vars: WeightSpec[] = [];
    for (const { index, op } of blockLayout(p)) {
      const prefix = `conv_block.${index}.`;
      if (op === 'conv') {
        vars.push({
          name: `${prefix}weight`,
          shape: [3, 3, c, c],
          init: 'normal',
          trainable: true,
          torchLayout: 'conv2d',
        });
        if (p.bias) {
          vars.push({
            name: `${prefix}bias`,
            shape: [c],
            init: 'zeros',
            trainable: true,
            torchLayout: 'same',
          });
        }
      } else if (op === 'norm' && p.norm === 'batch') {
        vars.push(...batchNormWeights(c).map((v) => ({ ...v, name: prefix + v.name })));
      }
    }
    return vars;
  },
  apply(tf, inputs, vars, p, context) {
    const x = inputs.in!;
    let y = x;
    const layout = blockLayout(p);
    for (let k = 0; k < layout.length; k++) {
      const { index, op } = layout[k]!;
      const prefix = `conv_block.${index}.`;
      if (op === 'pad') {
        y = padSpatial(tf, y, 1, p.padding);
      } else if (op === 'conv') {
        const pad = p.padding === 'zero' ? 1 : 0;
        y = tf.conv2d(y as Tensor4D, vars[`${prefix}weight`] as Tensor4D, 1, pad);
        if (p.bias) y = tf.add(y, vars[`${prefix}bias`]!);
      } else if (op === 'norm') {
        if (p.norm === 'instance') {
          // With the ReLU after it: one kernel where the backend fuses them (tensorOps.ts).
          const relu = layout[k + 1]?.op === 'relu';
          y = instanceNorm(tf, y, 1e-5, relu ? { fn: 'relu' } : undefined);
          if (relu) k++;
        }
        if (p.norm === 'batch') {
          const bnVars = {
            weight: vars[`${prefix}weight`]!,
            bias: vars[`${prefix}bias`]!,
            running_mean: vars[`${prefix}running_mean`]!,
            running_var: vars[`${prefix}running_var`]!,
          };
          y = batchNorm(
            tf,
            y,
            bnVars,
            { eps: 1e-5, momentum: 0.1 },
            {
              ...context,
              updateState: (name, value) => context.updateState(prefix + name, value),
            },
          );
        }
      } else if (op === 'relu') {
        y = tf.relu(y);
      } else if (context.training) {
        y = tf.dropout(y, 0.5, undefined, context.seed());
      }
    }
    return { out: tf.add(x, y) };
  },
  exportGraph(graph, inputs, vars, p, shapes) {
    const x = inputs.in!;
    let y = x;
    for (const { index, op } of blockLayout(p)) {
      const prefix = `conv_block.${index}.`;
      const local = (name: string) => vars[prefix + name]!;
      if (op === 'pad') {
        y = padSpatialGraph(graph, y, shapes.inputs.in!, 1, p.padding);
      } else if (op === 'conv') {
        y = conv2dGraph(graph, y, local('weight'), 1, p.padding === 'zero' ? 1 : 0);
        if (p.bias) y = graph.op('BiasAdd', [y, local('bias')]);
      } else if (op === 'norm') {
        if (p.norm === 'instance') y = instanceNormGraph(graph, y, 1e-5);
        if (p.norm === 'batch') {
          const bnVars = Object.fromEntries(
            ['weight', 'bias', 'running_mean', 'running_var'].map((name) => [name, local(name)]),
          );
          y = batchNormGraph(graph, y, bnVars, 1e-5);
        }
      } else if (op === 'relu') {
        y = graph.op('Relu', [y]);
      }
      // Dropout passes its input through at inference.
    }
    return { out: graph.op('AddV2', [x, y]) };
  },
});
