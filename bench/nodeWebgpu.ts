/**
 * Trains a tiny conv net (conv, strided conv, transposed conv) for a few SGD steps on WebGPU in
 * Node (Dawn) and then on cpu, from the same seeded weights.
 * Run: npx tsx bench/nodeWebgpu.ts
 * Prints a summary to stderr and one JSON line to stdout (read by nodeWebgpu.test.ts):
 * { adapterInfo, runs: { webgpu: TrainingRun, cpu: TrainingRun } } or { error }.
 * Exits explicitly: Dawn's GPU object can keep Node alive.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/runtime/backends/select';
import { installNodeWebGPU } from '../src/runtime/backends/nodeWebgpu';
import { exitWithJson } from './exitWithJson';

export interface TrainingRun {
  losses: number[];
  /** Gradients of the first step, by weight name, flattened. */
  gradients: Record<string, number[]>;
  /** Weights after the last step, by name, flattened. */
  weights: Record<string, number[]>;
  milliseconds: number;
}

const STEPS = 3;
const LEARNING_RATE = 0.05;
const EXPLICIT_PAD_1: [[0, 0], [1, 1], [1, 1], [0, 0]] = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];

const WEIGHT_SHAPES: Record<string, [number, number, number, number]> = {
  conv1: [3, 3, 3, 8],
  down: [4, 4, 8, 8],
  up: [3, 3, 4, 8],
};

function network(weights: Record<string, tf.Tensor>, x: tf.Tensor4D): tf.Tensor4D {
  const h = tf.relu(tf.conv2d(x, weights.conv1 as tf.Tensor4D, 1, 'same'));
  const down = tf.leakyRelu(tf.conv2d(h, weights.down as tf.Tensor4D, 2, EXPLICIT_PAD_1), 0.2);
  // PyTorch's ConvTranspose2d(k=3, stride=2, padding=1, output_padding=1): 8x8 -> 16x16.
  return tf.tanh(
    tf.conv2dTranspose(down, weights.up as tf.Tensor4D, [2, 16, 16, 4], 2, EXPLICIT_PAD_1),
  );
}

async function flatten(t: tf.Tensor): Promise<number[]> {
  // data(), never dataSync(): synchronous reads break the webgpu backend.
  return Array.from(await t.data());
}

async function train(): Promise<TrainingRun> {
  const names = Object.keys(WEIGHT_SHAPES);
  const weights: Record<string, tf.Variable> = {};
  names.forEach((name, i) => {
    weights[name] = tf.variable(tf.randomNormal(WEIGHT_SHAPES[name]!, 0, 0.2, 'float32', 10 + i));
  });
  const x = tf.randomNormal([2, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const target = tf.tanh(tf.randomNormal([2, 16, 16, 4], 0, 1, 'float32', 2));
  const loss = () => tf.mean(tf.squaredDifference(network(weights, x), target)) as tf.Scalar;

  const losses: number[] = [];
  const gradients: Record<string, number[]> = {};
  const start = performance.now();
  for (let step = 0; step < STEPS; step++) {
    const { value, grads } = tf.variableGrads(loss, Object.values(weights));
    losses.push((await value.data())[0]!);
    for (const name of names) {
      const grad = grads[weights[name]!.name]!;
      if (step === 0) gradients[name] = await flatten(grad);
      weights[name]!.assign(tf.tidy(() => tf.sub(weights[name]!, tf.mul(grad, LEARNING_RATE))));
    }
    tf.dispose([value, ...Object.values(grads)]);
  }
  const finalWeights: Record<string, number[]> = {};
  for (const name of names) finalWeights[name] = await flatten(weights[name]!);
  const milliseconds = performance.now() - start;
  tf.dispose([x, target, ...Object.values(weights)]);
  return { losses, gradients, weights: finalWeights, milliseconds };
}

async function main(): Promise<object> {
  const { adapterInfo } = await installNodeWebGPU();
  await selectBackend(tf, 'webgpu');
  const webgpu = await train();
  await selectBackend(tf, 'cpu');
  const cpu = await train();
  console.error(`adapter: ${adapterInfo}`);
  for (const [backend, run] of Object.entries({ webgpu, cpu })) {
    const losses = run.losses.map((l) => l.toFixed(6)).join(', ');
    console.error(`${backend}: losses ${losses}; ${run.milliseconds.toFixed(0)} ms`);
  }
  return { adapterInfo, runs: { webgpu, cpu } };
}

await exitWithJson(main);
