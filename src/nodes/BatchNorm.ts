import { z } from 'zod';
import type { GraphBuilder } from './graphDef';
import { defineNodeKind, type ApplyContext, type TF, type Tensor, type WeightSpec } from './kind';
import { expectImageLike } from './shapeRules';

const params = z.object({
  eps: z.number().positive().default(1e-5),
  momentum: z
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .describe('Weight of the newest batch in the running statistics'),
});

export type BatchNormParams = z.infer<typeof params>;

export function batchNormWeights(channels: number): WeightSpec[] {
  return [
    { name: 'weight', shape: [channels], init: 'ones', trainable: true, torchLayout: 'same' },
    { name: 'bias', shape: [channels], init: 'zeros', trainable: true, torchLayout: 'same' },
    {
      name: 'running_mean',
      shape: [channels],
      init: 'zeros',
      trainable: false,
      torchLayout: 'same',
    },
    { name: 'running_var', shape: [channels], init: 'ones', trainable: false, torchLayout: 'same' },
  ];
}

/**
 * PyTorch's BatchNorm2d: batch statistics while training (running statistics updated with the
 * unbiased variance), running statistics otherwise.
 */
export function batchNorm(
  tf: TF,
  x: Tensor,
  vars: Readonly<Record<string, Tensor>>,
  p: BatchNormParams,
  context: ApplyContext,
): Tensor {
  let mean: Tensor;
  let variance: Tensor;
  if (context.training) {
    const axes = x.shape.length === 4 ? [0, 1, 2] : [0];
    ({ mean, variance } = tf.moments(x, axes));
    const count = x.size / x.shape[x.shape.length - 1]!;
    const unbiased = tf.mul(variance, count / Math.max(1, count - 1));
    context.updateState(
      'running_mean',
      tf.add(tf.mul(vars.running_mean!, 1 - p.momentum), tf.mul(mean, p.momentum)),
    );
    context.updateState(
      'running_var',
      tf.add(tf.mul(vars.running_var!, 1 - p.momentum), tf.mul(unbiased, p.momentum)),
    );
  } else {
    mean = vars.running_mean!;
    variance = vars.running_var!;
  }
  const normalized = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, p.eps)));
  return tf.add(tf.mul(normalized, vars.weight!), vars.bias!);
}

/** batchNorm at inference, op for op: the running statistics, scale and shift. */
export function batchNormGraph(
  graph: GraphBuilder,
  x: string,
  vars: Readonly<Record<string, string>>,
  eps: number,
): string {
  const scale = graph.op('Rsqrt', [
    graph.op('AddV2', [vars.running_var!, graph.floatConst([eps])]),
  ]);
  const normalized = graph.op('Mul', [graph.op('Sub', [x, vars.running_mean!]), scale]);
  return graph.op('AddV2', [graph.op('Mul', [normalized, vars.weight!]), vars.bias!]);
}

export const BatchNormNode = defineNodeKind({
  kind: 'BatchNorm',
  category: 'layers',
  behavior: 'layer',
  description: 'Normalizes each channel over the batch, with a learned scale and shift',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs) {
    const shape = inputs.in;
    if (!shape) return { out: expectImageLike(shape, 'in') };
    if (shape.length !== 4 && shape.length !== 2) expectImageLike(shape, 'in');
    return { out: shape };
  },
  weights(inputs) {
    const shape = inputs.in!;
    return batchNormWeights(shape[shape.length - 1]!);
  },
  apply: (tf, inputs, vars, p, context) => ({ out: batchNorm(tf, inputs.in!, vars, p, context) }),
  exportGraph: (graph, inputs, vars, p) => ({
    out: batchNormGraph(graph, inputs.in!, vars, p.eps),
  }),
});
