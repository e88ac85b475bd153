import { z } from 'zod';
import { defineNodeKind, type VariableSpec } from './kind';
import { batchNorm, batchNormVariables } from './BatchNorm';
import { expectImageLike } from './shapeRules';
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
  role: 'layer',
  description: 'ResNet block: two 3×3 convolutions with a skip connection',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes: (inputs) => ({ out: expectImageLike(inputs.in, 'in') }),
  variables(inputs, p) {
    const c = expectImageLike(inputs.in, 'in')[3];
    const vars: VariableSpec[] = [];
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
        vars.push(...batchNormVariables(c).map((v) => ({ ...v, name: prefix + v.name })));
      }
    }
    return vars;
  },
  apply(tf, inputs, vars, p, context) {
    const x = inputs.in!;
    let y = x;
    for (const { index, op } of blockLayout(p)) {
      const prefix = `conv_block.${index}.`;
      if (op === 'pad') {
        y = padSpatial(tf, y, 1, p.padding);
      } else if (op === 'conv') {
        const pad = p.padding === 'zero' ? 1 : 0;
        y = tf.conv2d(y as never, vars[`${prefix}weight`] as never, 1, pad);
        if (p.bias) y = tf.add(y, vars[`${prefix}bias`]!);
      } else if (op === 'norm') {
        if (p.norm === 'instance') y = instanceNorm(tf, y, 1e-5);
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
});
