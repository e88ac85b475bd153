import { z } from 'zod';
import { attr, type GraphBuilder } from './graphDef';
import { defineNodeKind, type TF, type Tensor } from './kind';
import { expectConnected } from './shapeRules';

const params = z.object({
  fn: z.enum(['relu', 'leaky_relu', 'tanh', 'sigmoid']).default('relu'),
  alpha: z.number().min(0).default(0.2).describe('Slope for negative inputs (leaky_relu)'),
});

export type ActivationParams = z.infer<typeof params>;

export function activate(tf: TF, x: Tensor, p: ActivationParams): Tensor {
  switch (p.fn) {
    case 'relu':
      return tf.relu(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, p.alpha);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}

export function activateGraph(graph: GraphBuilder, x: string, p: ActivationParams): string {
  switch (p.fn) {
    case 'relu':
      return graph.op('Relu', [x]);
    case 'leaky_relu':
      return graph.op('LeakyRelu', [x], { alpha: attr.float(p.alpha) });
    case 'tanh':
      return graph.op('Tanh', [x]);
    case 'sigmoid':
      return graph.op('Sigmoid', [x]);
  }
}

export const ActivationNode = defineNodeKind({
  kind: 'Activation',
  category: 'layers',
  behavior: 'layer',
  description: 'ReLU, LeakyReLU, Tanh or Sigmoid, element-wise',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes: (inputs) => ({ out: expectConnected(inputs.in, 'in') }),
  apply: (tf, inputs, _vars, p) => ({ out: activate(tf, inputs.in!, p) }),
  exportGraph: (graph, inputs, _vars, p) => ({ out: activateGraph(graph, inputs.in!, p) }),
});
