/**
 * Each fused webgpu kernel against the unfused ops it replaces, both on webgpu in Node (Dawn):
 * values and gradients (of sum(output · r) for a fixed random r), and the flat optimizer update
 * against the per-weight rules over three steps (weights and slots). The same builders run twice:
 * before installFusedWebGPUKernels (the unfused ops) and after it (the fused kernels).
 * Run: npx tsx bench/fusedKernels.ts. Prints one JSON line (read by fusedKernels.test.ts):
 * { adapterInfo, cases: { [name]: { error, scale } } } or { error }, where `error` is the largest
 * |fused - unfused| and `scale` the largest |unfused|. Exits explicitly: Dawn keeps Node alive.
 */
import * as tf from '@tensorflow/tfjs';
import { installNodeWebGPU } from '../src/runtime/backends/nodeWebgpu';
import { installFusedWebGPUKernels } from '../src/runtime/backends/webgpu/fusedKernels';
import {
  instanceNorm,
  meanDistance,
  reflectionPad,
  type NormActivation,
} from '../src/nodes/tensorOps';
import { Optimizer } from '../src/runtime/optimizers';
import type { ProgramOptimizer } from '../src/runtime/program';
import { exitWithJson } from './exitWithJson';

type Values = Map<string, Float32Array>;

const normal = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

/** The value of `f(x)` and the gradient of sum(f(x) · r) with respect to each input. */
async function valueAndGrads(
  out: Values,
  name: string,
  inputs: tf.Tensor[],
  f: (...xs: tf.Tensor[]) => tf.Tensor,
): Promise<void> {
  const value = f(...inputs);
  const r = normal(value.shape, 99);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r)))(inputs);
  out.set(`${name} value`, (await value.data()) as Float32Array);
  for (const [i, g] of grads.entries())
    out.set(`${name} gradient ${i}`, (await g.data()) as Float32Array);
  tf.dispose([value, r, ...grads]);
}

const OPTIMIZER: ProgramOptimizer = {
  id: 'opt',
  networks: ['net'],
  type: 'adam',
  lr: 0.01,
  beta1: 0.5,
  beta2: 0.999,
  eps: 1e-8,
  alpha: 0.99,
  order: 0,
  updates: 1,
  clip: null,
  constantSteps: null,
  decaySteps: 1,
  losses: [],
  summed: [],
};

async function optimizerSteps(out: Values, name: string, spec: ProgramOptimizer): Promise<void> {
  const shapes = [[3, 3, 2, 4], [4], [5]];
  const weights = new Map(
    shapes.map((shape, i) => [`net.w${i}`, tf.variable(tf.mul(normal(shape, 1 + i), 0.1))]),
  );
  const optimizer = new Optimizer(tf, spec, weights);
  for (let step = 0; step < 3; step++) {
    const grads = Object.fromEntries(
      [...weights].map(([n, w], i) => [n, normal(w.shape, 100 + 10 * step + i)]),
    );
    optimizer.apply(grads, step);
    tf.dispose(Object.values(grads));
  }
  for (const [n, w] of weights) out.set(`${name} ${n}`, (await w.data()) as Float32Array);
  for (const [n, slots] of optimizer.state.slots) {
    for (const [slot, v] of Object.entries(slots)) {
      out.set(`${name} ${slot}/${n}`, (await v.data()) as Float32Array);
    }
  }
  optimizer.dispose();
  tf.dispose([...weights.values()]);
}

async function compute(): Promise<Values> {
  const out: Values = new Map();
  const x = normal([2, 5, 6, 3], 1);
  const y = normal([2, 5, 6, 3], 2);
  await valueAndGrads(out, 'reflection pad 1', [x], (t) => reflectionPad(tf, t, 1));
  await valueAndGrads(out, 'reflection pad 3', [x], (t) => reflectionPad(tf, t, 3));
  await valueAndGrads(out, 'instance norm', [x], (t) => instanceNorm(tf, t, 1e-5));
  const activations: NormActivation[] = [{ fn: 'relu' }, { fn: 'leaky_relu', alpha: 0.2 }];
  for (const activation of activations) {
    await valueAndGrads(out, `instance norm, ${activation.fn}`, [x], (t) =>
      instanceNorm(tf, t, 1e-5, activation),
    );
  }
  for (const distance of ['l1', 'l2'] as const) {
    await valueAndGrads(out, `mean ${distance} distance`, [x, y], (a, b) =>
      meanDistance(tf, a, b!, distance),
    );
  }
  for (const target of [0, 1]) {
    await valueAndGrads(out, `mean squared distance to ${target}`, [x], (a) =>
      meanDistance(tf, a, target, 'l2'),
    );
  }
  await optimizerSteps(out, 'adam', OPTIMIZER);
  await optimizerSteps(out, 'adam, clipped', { ...OPTIMIZER, clip: 0.05 });
  await optimizerSteps(out, 'rmsprop', { ...OPTIMIZER, type: 'rmsprop' });
  await optimizerSteps(out, 'sgd', { ...OPTIMIZER, type: 'sgd' });
  tf.dispose([x, y]);
  return out;
}

async function main(): Promise<object> {
  const { adapterInfo } = await installNodeWebGPU();
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed');
  const unfused = await compute();
  installFusedWebGPUKernels(tf);
  const fused = await compute();
  const cases: Record<string, { error: number; scale: number }> = {};
  for (const [name, expected] of unfused) {
    const actual = fused.get(name)!;
    let error = actual.length === expected.length ? 0 : Infinity;
    let scale = 0;
    expected.forEach((e, i) => {
      error = Math.max(error, Math.abs(actual[i]! - e));
      scale = Math.max(scale, Math.abs(e));
    });
    cases[name] = { error, scale };
  }
  return { adapterInfo, cases };
}

await exitWithJson(main);
