/**
 * Stock vs fast tfjs cpu conv kernels on CycleGAN-like layers (64x64, ngf 16).
 * Run: npx tsx bench/cpuConv.ts
 * Prints the median wall time of each kernel call and of one conv2d forward + both gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { installFastCpuConvKernels } from '../src/runtime/backends/cpuConvKernels';

type Padding = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];

interface Layer {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: Padding;
}

const LAYERS: Layer[] = [
  {
    name: '3x3 s1 16->32 (1x64x64x16)',
    x: [1, 64, 64, 16],
    filter: [3, 3, 16, 32],
    strides: 1,
    pad: 1,
  },
  {
    name: '7x7 s1 16->3 (1x64x64x16)',
    x: [1, 64, 64, 16],
    filter: [7, 7, 16, 3],
    strides: 1,
    pad: 3,
  },
  {
    name: '7x7 s1 3->16 (1x70x70x3)',
    x: [1, 70, 70, 3],
    filter: [7, 7, 3, 16],
    strides: 1,
    pad: 0,
  },
  {
    name: '3x3 s2 16->32 (1x64x64x16)',
    x: [1, 64, 64, 16],
    filter: [3, 3, 16, 32],
    strides: 2,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: '3x3 s1 64->64 (1x18x18x64)',
    x: [1, 18, 18, 64],
    filter: [3, 3, 64, 64],
    strides: 1,
    pad: 0,
  },
  {
    name: '4x4 s2 16->32 (1x32x32x16)',
    x: [1, 32, 32, 16],
    filter: [4, 4, 16, 32],
    strides: 2,
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
];

const KERNEL_NAMES = ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;

function registerKernels(configs: tf.KernelConfig[]): void {
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
}

function medianMs(run: () => tf.Tensor | tf.Tensor[], repeats: number): number {
  tf.dispose(run());
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    tf.dispose(run());
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function format(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  const stock = KERNEL_NAMES.map((name) => tf.getKernel(name, 'cpu'));
  installFastCpuConvKernels(tf);
  const fast = KERNEL_NAMES.map((name) => tf.getKernel(name, 'cpu'));
  const engine = tf.engine();

  console.log('median ms, stock -> fast (speedup)');
  for (const layer of LAYERS) {
    const x = tf.randomNormal(layer.x, 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomNormal(layer.filter, 0, 1, 'float32', 2) as tf.Tensor4D;
    const attrs = { strides: layer.strides, pad: layer.pad, dataFormat: 'NHWC' };
    const y = tf.conv2d(x, filter, layer.strides, layer.pad);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3);
    const step = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, layer.strides, layer.pad), dy)),
    );
    const runs: [string, () => tf.Tensor | tf.Tensor[]][] = [
      ['Conv2D', () => tf.conv2d(x, filter, layer.strides, layer.pad)],
      [
        'BackpropFilter',
        () =>
          engine.runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { ...attrs, filterShape: layer.filter },
          ) as tf.Tensor,
      ],
      [
        'BackpropInput',
        () =>
          engine.runKernel(
            'Conv2DBackpropInput',
            { dy, filter },
            { ...attrs, inputShape: layer.x },
          ) as tf.Tensor,
      ],
      ['forward+grads', () => step([x, filter])],
    ];
    const cells: string[] = [];
    for (const [name, run] of runs) {
      registerKernels(stock);
      const slowRepeats = name === 'Conv2D' || name === 'BackpropInput' ? 9 : 3;
      const before = medianMs(run, slowRepeats);
      registerKernels(fast);
      const after = medianMs(run, 9);
      cells.push(`${name} ${format(before)} -> ${format(after)} (${(before / after).toFixed(1)}x)`);
    }
    console.log(`${layer.name}: ${cells.join(', ')}`);
    tf.dispose([x, filter, y, dy]);
  }
}

await main();
