import { z } from 'zod';
import type { Tensor4D } from '@tensorflow/tfjs';
import { attr } from './graphDef';
import { conv2dGraph, convPaddingAttrs } from './graphOps';
import { defineNodeKind, type Tensor } from './kind';
import {
  convOutputSize,
  convTransposeOutputSize,
  expectImageLike,
  expectPositiveSize,
  formatShape,
} from './shapeRules';

/**
 * Ceilings far above real work and far below what exhausts a device: the widest layer of the
 * reference networks has 8·ngf = 512 filters (4096 allows ngf 512), kernels are 1 to 7 (up to
 * 11 in image classifiers), strides 1 or 2, paddings at most 3.
 */
export const CONV_CEILINGS = { filters: 4096, kernel: 32, stride: 32, padding: 64 } as const;

const params = z
  .object({
    filters: z.number().int().positive().max(CONV_CEILINGS.filters).describe('Output channels'),
    kernel: z.number().int().positive().max(CONV_CEILINGS.kernel).default(3),
    stride: z.number().int().positive().max(CONV_CEILINGS.stride).default(1),
    padding: z
      .union([z.number().int().nonnegative().max(CONV_CEILINGS.padding), z.enum(['same', 'valid'])])
      .default(0)
      .describe('Zero padding on each side, or "same" / "valid"'),
    transposed: z.boolean().default(false).describe('Transposed convolution (learned upsampling)'),
    outputPadding: z
      .number()
      .int()
      .nonnegative()
      .default(0)
      .describe('Extra rows and columns at the end of a transposed convolution'),
    bias: z.boolean().default(true),
  })
  .refine((p) => !p.transposed || p.outputPadding < p.stride, {
    message: 'outputPadding must be smaller than the stride',
    path: ['outputPadding'],
  });

type ConvParams = z.infer<typeof params>;

function outputSize(size: number, p: ConvParams) {
  return p.transposed
    ? convTransposeOutputSize(size, p.kernel, p.stride, p.padding, p.outputPadding)
    : convOutputSize(size, p.kernel, p.stride, p.padding);
}

/**
 * A 2-D convolution in PyTorch's semantics (Conv2d / ConvTranspose2d), so that the reference's
 * explicit paddings carry over: TensorFlow's "same" differs for stride 2 (it pads 0 before and 1
 * after), hence numeric padding is passed to tfjs explicitly on both sides.
 */
export const ConvNode = defineNodeKind({
  kind: 'Conv',
  category: 'layers',
  behavior: 'layer',
  description: '2-D convolution or transposed convolution',
  scopes: ['network'],
  params,
  inputs: () => [{ name: 'in', type: 'feature' }],
  outputs: () => [{ name: 'out', type: 'feature' }],
  inferShapes(inputs, p) {
    const [n, h, w, c] = expectImageLike(inputs.in, 'in');
    const height = outputSize(h, p);
    const width = outputSize(w, p);
    expectPositiveSize(
      height,
      width,
      'in',
      () =>
        `input ${formatShape([n, h, w, c])} is too small for a ${p.kernel}×${p.kernel} kernel with stride ${p.stride} and padding ${p.padding}`,
    );
    return { out: [n, height, width, p.filters] };
  },
  weights(inputs, p) {
    const c = expectImageLike(inputs.in, 'in')[3];
    const weightShape = p.transposed
      ? [p.kernel, p.kernel, p.filters, c]
      : [p.kernel, p.kernel, c, p.filters];
    return [
      {
        name: 'weight',
        shape: weightShape,
        init: 'normal',
        trainable: true,
        torchLayout: p.transposed ? 'convTranspose2d' : 'conv2d',
      },
      ...(p.bias
        ? [
            {
              name: 'bias',
              shape: [p.filters],
              init: 'zeros' as const,
              trainable: true,
              torchLayout: 'same' as const,
            },
          ]
        : []),
    ];
  },
  apply(tf, inputs, vars, p) {
    const x = inputs.in as Tensor4D;
    const weight = vars.weight as Tensor4D;
    const pad =
      typeof p.padding === 'number'
        ? ([
            [0, 0],
            [p.padding, p.padding],
            [p.padding, p.padding],
            [0, 0],
          ] as [[number, number], [number, number], [number, number], [number, number]])
        : p.padding;
    let y: Tensor;
    if (p.transposed) {
      const [n, h, w] = x.shape;
      y = tf.conv2dTranspose(
        x,
        weight,
        [n, outputSize(h, p), outputSize(w, p), p.filters],
        p.stride,
        pad,
      );
    } else {
      y = tf.conv2d(x, weight, p.stride, pad);
    }
    return { out: vars.bias ? tf.add(y, vars.bias) : y };
  },
  exportGraph(graph, inputs, vars, p, shapes) {
    const x = inputs.in!;
    let y: string;
    if (p.transposed) {
      // tfjs's conv2dTranspose is this op; its output shape takes the batch size of the input.
      const outputShape = graph.batchShape(x, shapes.outputs.out!.slice(1));
      y = graph.op('Conv2DBackpropInput', [outputShape, vars.weight!, x], {
        strides: attr.ints([1, p.stride, p.stride, 1]),
        ...convPaddingAttrs(p.padding),
      });
    } else {
      y = conv2dGraph(graph, x, vars.weight!, p.stride, p.padding);
    }
    return { out: vars.bias ? graph.op('BiasAdd', [y, vars.bias]) : y };
  },
});
