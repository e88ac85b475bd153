import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastCpuElementwiseKernels } from './cpuElementwiseKernels';

// Expected values come from the stock tfjs 4.22 cpu kernels, run in the same process on the same
// inputs; the fast kernels must match them bit for bit (Object.is on every element).

const BINARY_OPS = ['Add', 'Sub', 'Multiply', 'RealDiv'] as const;
const REDUCE_OPS = ['Sum', 'Mean'] as const;
const KERNEL_NAMES = [...BINARY_OPS, ...REDUCE_OPS];

const SHAPE_PAIRS: [number[], number[]][] = [
  [
    [2, 3, 4, 5],
    [2, 3, 4, 5],
  ],
  [[], [2, 3, 4, 5]],
  [[2, 3, 4, 5], []],
  [[], []],
  [
    [1, 1, 1, 8],
    [3, 4, 4, 8],
  ],
  [
    [3, 4, 4, 8],
    [1, 1, 1, 8],
  ],
  [[8], [3, 4, 4, 8]],
  [[3, 4, 4, 8], [8]],
  [
    [3, 1, 1, 8],
    [3, 4, 4, 8],
  ],
  [
    [3, 4, 4, 8],
    [3, 1, 1, 1],
  ],
  [
    [1, 4, 1, 1],
    [3, 4, 5, 2],
  ],
  [
    [4, 5, 2],
    [3, 1, 1, 1],
  ],
  [
    [3, 1, 5],
    [1, 4, 1],
  ],
  [
    [3, 1],
    [1, 1],
  ],
  [
    [0, 4],
    [1, 4],
  ],
  [[2, 0, 3], [3]],
  [[7], [7]],
  [[7], [1]],
  [
    [2, 3, 1, 4, 5],
    [1, 3, 2, 1, 5],
  ],
  [
    [2, 1, 3, 4, 5],
    [2, 3, 1, 1, 1],
  ],
];

interface ReduceCase {
  shape: number[];
  axis: number | number[] | null | undefined;
  keepDims: boolean;
}

const REDUCE_CASES: ReduceCase[] = [
  { shape: [4, 5, 6, 7], axis: [0, 1, 2], keepDims: false },
  { shape: [4, 5, 6, 7], axis: [0, 1, 2], keepDims: true },
  { shape: [4, 5, 6, 7], axis: [1, 2], keepDims: true },
  { shape: [4, 5, 6, 7], axis: 0, keepDims: false },
  { shape: [4, 5, 6, 7], axis: 3, keepDims: false },
  { shape: [4, 5, 6, 7], axis: [2, 3], keepDims: true },
  { shape: [4, 5, 6, 7], axis: 1, keepDims: false },
  { shape: [4, 5, 6, 7], axis: [0, 2], keepDims: false },
  { shape: [4, 5, 6, 7], axis: [1, 3], keepDims: true },
  { shape: [4, 5, 6, 7], axis: [0, 1, 2, 3], keepDims: false },
  { shape: [4, 5, 6, 7], axis: null, keepDims: false },
  { shape: [4, 5, 6, 7], axis: undefined, keepDims: true },
  { shape: [4, 5, 6, 7], axis: -1, keepDims: false },
  { shape: [4, 5, 6, 7], axis: [-3, -2], keepDims: true },
  { shape: [4, 5, 6, 7], axis: [2, 0], keepDims: false },
  { shape: [4, 5, 6, 7], axis: [], keepDims: false },
  { shape: [4, 1, 6, 7], axis: [1, 2], keepDims: false },
  { shape: [4, 1, 6, 7], axis: 1, keepDims: true },
  { shape: [1, 1, 1, 7], axis: [0, 1, 2], keepDims: false },
  { shape: [3, 1000], axis: 1, keepDims: false },
  { shape: [3, 1000], axis: 0, keepDims: false },
  { shape: [9], axis: 0, keepDims: false },
  { shape: [], axis: null, keepDims: false },
  { shape: [2, 3, 4, 5, 6], axis: [0, 2, 4], keepDims: false },
  { shape: [0, 3], axis: 0, keepDims: false },
  { shape: [0, 3], axis: 1, keepDims: true },
  { shape: [2, 0, 3], axis: null, keepDims: false },
];

const SPECIAL_VALUES = [
  Infinity,
  -Infinity,
  NaN,
  0,
  -0,
  1,
  -1,
  3.4e38,
  -3.4e38,
  1e-45,
  1e-38,
  0.1,
  7,
];

let stockKernels: tf.KernelConfig[];
let fastKernels: tf.KernelConfig[];

function registerKernels(configs: tf.KernelConfig[]): void {
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
}

interface Result {
  shape: number[];
  dtype: string;
  values: number[];
}

async function resultOf(t: tf.Tensor): Promise<Result> {
  const result = { shape: t.shape, dtype: t.dtype, values: Array.from(await t.data<'float32'>()) };
  t.dispose();
  return result;
}

function expectIdentical(actual: Result, expected: Result, what: string): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${what}: dtype`).toBe(expected.dtype);
  expect(actual.values.length, `${what}: size`).toBe(expected.values.length);
  const mismatch = actual.values.findIndex((v, i) => !Object.is(v, expected.values[i]));
  const detail =
    mismatch < 0
      ? ''
      : `: element ${mismatch} is ${actual.values[mismatch]}, stock gives ${expected.values[mismatch]}`;
  expect(mismatch, `${what}${detail}`).toBe(-1);
}

/** Runs `compute` with the stock kernels and then the fast ones. */
async function stockAndFast<T>(compute: () => Promise<T>): Promise<{ stock: T; fast: T }> {
  registerKernels(stockKernels);
  const stock = await compute();
  registerKernels(fastKernels);
  const fast = await compute();
  return { stock, fast };
}

function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object = {}): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

// A seed of 0 makes tf.randomNormal unseeded, hence callers start at 1.
function random(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  stockKernels = KERNEL_NAMES.map((name) => tf.getKernel(name, 'cpu'));
  installFastCpuElementwiseKernels(tf);
  fastKernels = KERNEL_NAMES.map((name) => tf.getKernel(name, 'cpu'));
});

describe('fast cpu elementwise kernels', () => {
  it('replace the stock kernels and are installed only once', () => {
    for (let i = 0; i < KERNEL_NAMES.length; i++) {
      expect(fastKernels[i]!.kernelFunc).not.toBe(stockKernels[i]!.kernelFunc);
    }
    registerKernels(fastKernels);
    installFastCpuElementwiseKernels(tf);
    const again = KERNEL_NAMES.map((name) => tf.getKernel(name, 'cpu').kernelFunc);
    expect(again).toEqual(fastKernels.map((k) => k.kernelFunc));
  });

  it.each(SHAPE_PAIRS.map(([a, b], i) => [JSON.stringify(a), JSON.stringify(b), a, b, i] as const))(
    'binary ops match the stock kernels bit for bit: %s with %s',
    async (_a, _b, aShape, bShape, i) => {
      const a = random(aShape, 10 * i + 1);
      const b = random(bShape, 10 * i + 2);
      for (const op of BINARY_OPS) {
        const { stock, fast } = await stockAndFast(() => resultOf(runKernel(op, { a, b })));
        expectIdentical(fast, stock, op);
      }
      tf.dispose([a, b]);
    },
  );

  it('binary ops match the stock kernels on infinities, NaN, signed zeros and extremes', async () => {
    const n = SPECIAL_VALUES.length;
    // Every pair of special values, once as equal shapes and once broadcast.
    const a = tf.tensor2d(
      SPECIAL_VALUES.flatMap((v) => new Array<number>(n).fill(v)),
      [n, n],
    );
    const b = tf.tensor2d(
      SPECIAL_VALUES.flatMap(() => SPECIAL_VALUES),
      [n, n],
    );
    const column = tf.tensor2d(SPECIAL_VALUES, [n, 1]);
    const row = tf.tensor2d(SPECIAL_VALUES, [1, n]);
    for (const op of BINARY_OPS) {
      for (const [x, y, what] of [
        [a, b, 'equal shapes'],
        [column, row, 'broadcast'],
        [row, column, 'broadcast, swapped'],
      ] as const) {
        const { stock, fast } = await stockAndFast(() => resultOf(runKernel(op, { a: x, b: y })));
        expectIdentical(fast, stock, `${op} ${what}`);
      }
    }
    for (const op of REDUCE_OPS) {
      for (const axis of [0, 1, null]) {
        const { stock, fast } = await stockAndFast(() =>
          resultOf(runKernel(op, { x: b }, { axis, keepDims: false })),
        );
        expectIdentical(fast, stock, `${op} axis ${String(axis)}`);
      }
    }
    tf.dispose([a, b, column, row]);
  });

  it.each(REDUCE_CASES.map((c, i) => [JSON.stringify(c.shape), String(c.axis), c, i] as const))(
    'Sum and Mean match the stock kernels bit for bit: %s over axis %s',
    async (_shape, _axis, c, i) => {
      // Mixed magnitudes make the result depend on the order of the additions.
      const x = tf.tidy(() =>
        tf.mul(random(c.shape, 10 * i + 3), tf.exp(random(c.shape, 10 * i + 4))),
      );
      for (const op of REDUCE_OPS) {
        const attrs = { axis: c.axis, keepDims: c.keepDims };
        const { stock, fast } = await stockAndFast(() => resultOf(runKernel(op, { x }, attrs)));
        expectIdentical(fast, stock, `${op} keepDims ${String(c.keepDims)}`);
      }
      x.dispose();
    },
  );

  it('hand int32, bool and complex64 inputs to the stock kernels', async () => {
    const ai = tf.tensor2d([1, -2, 3, 40000, 5, 6], [2, 3], 'int32');
    const bi = tf.tensor1d([7, 8, -9], 'int32');
    const flags = tf.tensor2d([true, false, true, true, false, true], [2, 3], 'bool');
    const c = tf.complex([1, 2, 3], [4, 5, 6]);
    const run = async () => {
      const results: Result[] = [];
      for (const op of BINARY_OPS) results.push(await resultOf(runKernel(op, { a: ai, b: bi })));
      for (const op of REDUCE_OPS) {
        results.push(await resultOf(runKernel(op, { x: ai }, { axis: 0, keepDims: false })));
        results.push(await resultOf(runKernel(op, { x: flags }, { axis: 1, keepDims: true })));
      }
      results.push(await resultOf(tf.real(runKernel('Add', { a: c, b: c }))));
      results.push(await resultOf(tf.imag(runKernel('Multiply', { a: c, b: c }))));
      return results;
    };
    const { stock, fast } = await stockAndFast(run);
    expect(fast.length).toBe(stock.length);
    fast.forEach((result, i) => expectIdentical(result, stock[i]!, `fallback result ${i}`));
    expect(fast[0]!.dtype).toBe('int32');
    tf.dispose([ai, bi, flags, c]);
  });

  it('give the stock gradients of a batch-norm-like expression through tf.grads', async () => {
    const x = tf.tidy(() => tf.add(tf.mul(random([4, 6, 6, 8], 31), 3), 0.5));
    const gamma = random([8], 32);
    const beta = random([8], 33);
    const r = random([4, 6, 6, 8], 34);
    const loss = (input: tf.Tensor, scale: tf.Tensor, shift: tf.Tensor) => {
      const mean = tf.mean(input, [0, 1, 2], true);
      const centered = tf.sub(input, mean);
      const variance = tf.mean(tf.square(centered), [0, 1, 2], true);
      const normalised = tf.div(centered, tf.sqrt(tf.add(variance, 1e-5)));
      const instanceMean = tf.mean(normalised, [1, 2], true);
      const y = tf.add(tf.mul(tf.sub(normalised, tf.mul(instanceMean, 0.5)), scale), shift);
      return tf.sum(tf.mul(y, r));
    };
    const run = async () => {
      const { value, grads } = tf.valueAndGrads(loss)([x, gamma, beta]);
      const results = [await resultOf(value)];
      for (const grad of grads) results.push(await resultOf(grad));
      return results;
    };
    const { stock, fast } = await stockAndFast(run);
    const names = ['loss', 'd/dx', 'd/dgamma', 'd/dbeta'];
    fast.forEach((result, i) => expectIdentical(result, stock[i]!, names[i]!));
    tf.dispose([x, gamma, beta, r]);
  });
});
