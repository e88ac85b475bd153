import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastCpuConvKernels } from './cpuConvKernels';

// Expected values come from the stock tfjs 4.22 cpu kernels, run in the same process on the same
// inputs. Tolerance: max |fast - stock| <= 1e-5 * max |stock| per output tensor (the stock
// backprop kernels sum in doubles like the fast ones; the stock forward sums in float32).
const TOLERANCE = 1e-5;

const KERNEL_NAMES = ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'];

type Padding = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: Padding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const CASES: ConvCase[] = [
  {
    name: '3x3 stride 1 valid, 3->8',
    x: [1, 9, 9, 3],
    filter: [3, 3, 3, 8],
    strides: 1,
    pad: 'valid',
  },
  {
    name: '3x3 stride 2 same, batch 2, 9x11, 3->8',
    x: [2, 9, 11, 3],
    filter: [3, 3, 3, 8],
    strides: 2,
    pad: 'same',
  },
  {
    name: '4x4 stride 2 explicit 1, 8->16',
    x: [1, 10, 10, 8],
    filter: [4, 4, 8, 16],
    strides: 2,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: '7x7 stride 1 numeric 3, batch 2, 8->16',
    x: [2, 13, 13, 8],
    filter: [7, 7, 8, 16],
    strides: 1,
    pad: 3,
  },
  {
    name: '4x4 stride 1 same (asymmetric), 8->16',
    x: [1, 16, 16, 8],
    filter: [4, 4, 8, 16],
    strides: 1,
    pad: 'same',
  },
  {
    name: '7x7 stride 2 valid, batch 2, 15x15, 3->8',
    x: [2, 15, 15, 3],
    filter: [7, 7, 3, 8],
    strides: 2,
    pad: 'valid',
  },
  {
    name: '3x3 stride 2 numeric 1, 7x9, 8->16',
    x: [1, 7, 9, 8],
    filter: [3, 3, 8, 16],
    strides: 2,
    pad: 1,
  },
  {
    name: '3x3 stride 1 explicit asymmetric, 16->3',
    x: [1, 12, 11, 16],
    filter: [3, 3, 16, 3],
    strides: 1,
    pad: [
      [0, 0],
      [0, 2],
      [1, 0],
      [0, 0],
    ],
  },
  {
    name: '3x3 stride 2 pad 0 rounding ceil, 8->16',
    x: [1, 10, 10, 8],
    filter: [3, 3, 8, 16],
    strides: 2,
    pad: 0,
    dimRoundingMode: 'ceil',
  },
];

let stockKernels: tf.KernelConfig[];
let fastKernels: tf.KernelConfig[];

function registerKernels(configs: tf.KernelConfig[]): void {
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
}

async function valuesOf(t: tf.Tensor): Promise<Float32Array> {
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  expect(scale, `${what}: reference is all zeros`).toBeGreaterThan(0);
  expect(worst / scale, `${what}: max error relative to max |stock|`).toBeLessThanOrEqual(
    TOLERANCE,
  );
}

/** Runs the three conv kernels of one case with the registered cpu kernels. */
// A seed of 0 makes tf.randomNormal unseeded, hence callers start at 1.
async function runConvKernels(c: ConvCase, seed: number) {
  const x = tf.randomNormal(c.x, 0, 1, 'float32', seed);
  const filter = tf.randomNormal(c.filter, 0, 1, 'float32', seed + 1);
  const common = {
    strides: c.strides,
    pad: c.pad,
    dataFormat: 'NHWC',
    ...(c.dimRoundingMode === undefined ? {} : { dimRoundingMode: c.dimRoundingMode }),
  };
  const engine = tf.engine();
  const y = engine.runKernel('Conv2D', { x, filter }, { ...common, dilations: 1 }) as tf.Tensor;
  const dy = tf.randomNormal(y.shape, 0, 1, 'float32', seed + 2);
  const dW = engine.runKernel(
    'Conv2DBackpropFilter',
    { x, dy },
    { ...common, filterShape: c.filter },
  );
  const dx = engine.runKernel(
    'Conv2DBackpropInput',
    { dy, filter },
    { ...common, inputShape: c.x },
  );
  const result = {
    y: await valuesOf(y),
    dW: await valuesOf(dW as tf.Tensor),
    dx: await valuesOf(dx as tf.Tensor),
  };
  tf.dispose([x, filter, dy]);
  return result;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  stockKernels = KERNEL_NAMES.map((name) => tf.getKernel(name, 'cpu'));
  installFastCpuConvKernels(tf);
  fastKernels = KERNEL_NAMES.map((name) => tf.getKernel(name, 'cpu'));
});

describe('fast cpu conv kernels', () => {
  it('replace all three stock kernels and are installed only once', () => {
    for (let i = 0; i < KERNEL_NAMES.length; i++) {
      expect(fastKernels[i]!.kernelFunc).not.toBe(stockKernels[i]!.kernelFunc);
    }
    registerKernels(fastKernels);
    installFastCpuConvKernels(tf);
    const again = KERNEL_NAMES.map((name) => tf.getKernel(name, 'cpu').kernelFunc);
    expect(again).toEqual(fastKernels.map((k) => k.kernelFunc));
  });

  it.each(CASES.map((c, i) => [c.name, c, i] as const))(
    'match the stock kernels: %s',
    async (_name, c, i) => {
      registerKernels(stockKernels);
      const expected = await runConvKernels(c, 100 * i + 1);
      registerKernels(fastKernels);
      const actual = await runConvKernels(c, 100 * i + 1);
      expectClose(actual.y, expected.y, 'Conv2D');
      expectClose(actual.dW, expected.dW, 'Conv2DBackpropFilter');
      expectClose(actual.dx, expected.dx, 'Conv2DBackpropInput');
    },
  );

  it('fall back to the stock kernels for dilation 2 and NCHW', async () => {
    const x = tf.randomNormal([1, 9, 9, 4], 0, 1, 'float32', 7);
    const filter = tf.randomNormal([3, 3, 4, 5], 0, 1, 'float32', 8);
    const xNchw = tf.randomNormal([1, 4, 9, 9], 0, 1, 'float32', 9);
    const dyNchw = tf.randomNormal([1, 5, 9, 9], 0, 1, 'float32', 10);
    const run = async () => ({
      dilated: await valuesOf(
        tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same', 'NHWC', 2),
      ),
      nchw: await valuesOf(
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x: xNchw, dy: dyNchw },
            { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 4, 5] },
          ) as tf.Tensor,
      ),
    });
    registerKernels(stockKernels);
    const expected = await run();
    registerKernels(fastKernels);
    const actual = await run();
    expectClose(actual.dilated, expected.dilated, 'dilated Conv2D');
    expectClose(actual.nchw, expected.nchw, 'NCHW Conv2DBackpropFilter');
    tf.dispose([x, filter, xNchw, dyNchw]);
  });

  it('give the stock gradients of conv2d through tf.grads', async () => {
    const x = tf.randomNormal([2, 11, 11, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
    const w = tf.randomNormal([4, 4, 3, 8], 0, 1, 'float32', 12) as tf.Tensor4D;
    const r = tf.randomNormal([2, 5, 5, 8], 0, 1, 'float32', 13);
    const pad: Padding = [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ];
    const loss = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, pad), r));
    const run = async () => {
      const [dx, dw] = tf.grads(loss)([x, w]);
      return { dx: await valuesOf(dx!), dw: await valuesOf(dw!) };
    };
    registerKernels(stockKernels);
    const expected = await run();
    registerKernels(fastKernels);
    const actual = await run();
    expectClose(actual.dx, expected.dx, 'conv2d d/dx');
    expectClose(actual.dw, expected.dw, 'conv2d d/dfilter');
    tf.dispose([x, w, r]);
  });

  it('give the stock output and gradients of conv2dTranspose with explicit padding', async () => {
    // PyTorch's ConvTranspose2d(k=3, stride=2, padding=1, output_padding=1): 6x6 -> 12x12.
    const x = tf.randomNormal([2, 6, 6, 16], 0, 1, 'float32', 21) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 8, 16], 0, 1, 'float32', 22) as tf.Tensor4D;
    const r = tf.randomNormal([2, 12, 12, 8], 0, 1, 'float32', 23);
    const pad: Padding = [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ];
    const forward = (a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 12, 12, 8], 2, pad);
    const run = async () => {
      const y = await valuesOf(forward(x, w));
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(forward(a, b), r)))([
        x,
        w,
      ]);
      return { y, dx: await valuesOf(dx!), dw: await valuesOf(dw!) };
    };
    registerKernels(stockKernels);
    const expected = await run();
    registerKernels(fastKernels);
    const actual = await run();
    expectClose(actual.y, expected.y, 'conv2dTranspose output');
    expectClose(actual.dx, expected.dx, 'conv2dTranspose d/dx');
    expectClose(actual.dw, expected.dw, 'conv2dTranspose d/dfilter');
    tf.dispose([x, w, r]);
  });
});
