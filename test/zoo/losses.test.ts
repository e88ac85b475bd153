/**
 * The zoo's loss terms against their formulas: the gradient penalty (closed form on a linear
 * critic; PyTorch on a convolutional one), BEGAN's k_t, EBGAN's margin, the hinge terms of each
 * side, and the ports each loss offers.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGraph } from '../../src/graph/check';
import { findNodeKind } from '../../src/nodes';
import type { ApplyContext, Tensor } from '../../src/nodes/kind';
import { selectBackend } from '../../src/runtime/backends/select';
import { readTemplate, tinyProgram, tinyTrainer } from './tiny';

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

const training = (
  applyNetwork?: (id: string, x: Tensor) => Tensor,
  updates: [string, number][] = [],
): ApplyContext => ({
  training: true,
  seed: () => 5,
  updateState: (name, value) => updates.push([name, value.dataSync()[0]!]),
  ...(applyNetwork ? { applyNetwork } : {}),
});

function lossOf(
  params: Record<string, unknown>,
  inputs: Record<string, Tensor>,
  context = training(),
) {
  const kind = findNodeKind(params.kind === 'GradientPenalty' ? 'GradientPenalty' : 'Loss')!;
  const { kind: _kind, k, ...rest } = params;
  const parsed = kind.params.parse(rest);
  const vars: Record<string, Tensor> = k === undefined ? {} : { k: tf.scalar(k as number) };
  return kind.apply!(tf, inputs, vars, parsed, context).loss!;
}

const value = (t: Tensor) => t.dataSync()[0]!;

describe('gradient penalty', () => {
  // D(x) = x·w + b: ∇_x D = w for every sample, whatever x̂ is, so the penalty is
  // λ(‖w‖ - 1)² and its gradient with respect to w is 2λ(‖w‖ - 1)·w/‖w‖. Tolerance 1e-5 relative.
  it('equals λ(‖w‖ - 1)² on a linear critic, with the closed-form gradient', () => {
    const w = tf.tensor2d([[0.3], [-1.2], [0.5], [2.0]]);
    const b = tf.scalar(0.7);
    const norm = Math.hypot(0.3, -1.2, 0.5, 2.0);
    const real = tf.randomNormal([3, 2, 2, 1], 0, 1, 'float32', 1);
    const fake = tf.randomNormal([3, 2, 2, 1], 0, 1, 'float32', 2);
    const penalty = (weights: Tensor) =>
      lossOf(
        { kind: 'GradientPenalty', network: 'D', weight: 10 },
        { real, fake },
        training((_id, x) =>
          tf.add(tf.matMul(tf.reshape(x, [3, 4]) as tf.Tensor2D, weights as tf.Tensor2D), b),
        ),
      );
    const expected = 10 * (norm - 1) ** 2;
    expect(Math.abs(value(penalty(w)) - expected) / expected).toBeLessThan(1e-5);
    const gradient = tf.grad(penalty)(w).dataSync();
    [0.3, -1.2, 0.5, 2.0].forEach((wi, i) => {
      const closed = (20 * (norm - 1) * wi) / norm;
      expect(Math.abs(gradient[i]! - closed)).toBeLessThan(1e-5 * Math.abs(closed) + 1e-6);
    });
  });

  // A 3×3 stride-2 convolution (padding 1), LeakyReLU 0.2, a dense layer; real = fake, so x̂ is
  // the input whatever ε is drawn. Expected: PyTorch 1.13 in float64 (torch.autograd.grad with
  // create_graph=True, then the gradient of 10·mean((‖∇‖ - 1)²) with respect to the weights),
  // on these sin/cos sequences. Tolerance 1e-4 relative to the largest value (float32).
  it('matches PyTorch on a convolutional critic, second-order gradients included', () => {
    const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
    const x = tf.tensor4d(
      seq(32, (i) => Math.sin(0.7 * i + 0.3)),
      [2, 4, 4, 1],
    );
    const kernel = tf.tensor4d(
      seq(18, (i) => Math.cos(1.3 * i + 0.1) * 0.5),
      [3, 3, 1, 2],
    );
    const dense = tf.tensor2d(
      seq(8, (i) => Math.sin(2.1 * i + 0.5) * 0.4),
      [8, 1],
    );
    const critic = (k: Tensor, w: Tensor) => (_id: string, v: Tensor) => {
      const padded = tf.pad(v, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]) as tf.Tensor4D;
      const h = tf.leakyRelu(tf.conv2d(padded, k as tf.Tensor4D, 2, 'valid'), 0.2);
      return tf.add(tf.matMul(tf.reshape(h, [2, 8]) as tf.Tensor2D, w as tf.Tensor2D), 0.1);
    };
    const penalty = (k: Tensor, w: Tensor) =>
      lossOf(
        { kind: 'GradientPenalty', network: 'D', weight: 10 },
        { real: x, fake: x },
        training(critic(k, w)),
      );
    expect(Math.abs(value(penalty(kernel, dense)) - 2.327450629524479)).toBeLessThan(1e-4 * 2.33);
    const [gk, gw] = tf.grads((k: Tensor, w: Tensor) => penalty(k, w))([kernel, dense]);
    const torchKernel = [
      -0.68643388, -0.65639048, 0.74937194, 1.06792699, -0.92852673, -0.2540349, -0.01389864,
      0.21096335, 1.31868455, -0.82111384, -1.60554826, 0.51222782, 1.7941332, -0.24152059,
      -2.94589026, 0.17614993, 1.26094495, -0.58326418,
    ];
    const torchDense = [
      0.15626527, 0.4223581, 6.64186716, 1.72743999, -0.71530311, -0.38511855, -7.94300355,
      -6.11775022,
    ];
    for (const [ours, theirs] of [
      [gk!.dataSync(), torchKernel],
      [gw!.dataSync(), torchDense],
    ] as const) {
      const scale = Math.max(...theirs.map(Math.abs));
      theirs.forEach((t, i) => expect(Math.abs(ours[i]! - t)).toBeLessThan(1e-4 * scale));
    }
  });
});

describe('BEGAN', () => {
  // k_{t+1} = clip(k_t + λ_k(γ·L(x) - L(G(z))), 0, 1); L_D = L(x) - k_t·L(G(z)). Exact in float32
  // up to 1e-6.
  it.each([
    [
      'moves k by λ_k(γ·L(x) - L(G(z)))',
      0.3,
      [0.8, 0.4],
      [0.1, 0.3],
      0.3 + 0.01 * (0.5 * 0.6 - 0.2),
    ],
    ['clips k at 0', 0.0005, [0.1, 0.1], [0.9, 0.9], 0],
    ['clips k at 1', 0.9999, [2.0, 2.0], [0.0, 0.0], 1],
  ])('%s', (_name, k, real, fake, next) => {
    const updates: [string, number][] = [];
    const loss = lossOf(
      { type: 'began', gamma: 0.5, lambdaK: 0.01, k },
      { real: tf.tensor2d(real, [2, 1]), fake: tf.tensor2d(fake, [2, 1]) },
      training(undefined, updates),
    );
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(value(loss)).toBeCloseTo(mean(real) - k * mean(fake), 6);
    expect(updates).toHaveLength(1);
    expect(updates[0]![0]).toBe('k');
    expect(updates[0]![1]).toBeCloseTo(next, 6);
  });

  it('the generator term is L(G(z)) and leaves k alone', () => {
    const updates: [string, number][] = [];
    const loss = lossOf(
      { type: 'began', role: 'generator' },
      { real: tf.tensor2d([0.2, 0.6], [2, 1]) },
      training(undefined, updates),
    );
    expect(value(loss)).toBeCloseTo(0.4, 6);
    expect(updates).toEqual([]);
  });

  // After the first step (k_0 = 0) the discriminator's term is L(x) and the generator's L(G(z))
  // of the same batch and weights (G updates first, D judges the same fakes), so
  // k_1 = clip(λ_k(γ·D_loss - G_loss), 0, 1). Tolerance 1e-6.
  it('the trainer keeps k_t across steps and updates it by the formula', async () => {
    const trainer = tinyTrainer(tf, tinyProgram('began'));
    try {
      const k = () => trainer.nodeState.get('D_loss')!.k!.dataSync()[0]!;
      expect(k()).toBe(0);
      const { losses } = await trainer.step();
      const expected = Math.min(1, Math.max(0, 0.001 * (0.5 * losses.D_loss! - losses.G_loss!)));
      expect(expected).toBeGreaterThan(0);
      expect(Math.abs(k() - expected)).toBeLessThan(1e-6);
      const k1 = k();
      await trainer.step();
      expect(k()).not.toBe(k1);
    } finally {
      trainer.dispose();
    }
  });
});

describe('EBGAN', () => {
  const real = tf.tensor2d([0.3, 0.5], [2, 1]);

  // L_D = D(x) + max(0, m - D(G(z))) on mean energies; exact up to 1e-6.
  it('pushes the energy of fakes up to the margin, and no further', () => {
    const below = tf.tensor2d([0.2, 0.4], [2, 1]);
    const above = tf.tensor2d([1.5, 2.5], [2, 1]);
    const d = (fake: Tensor) => lossOf({ type: 'ebgan', margin: 1 }, { real, fake });
    expect(value(d(below))).toBeCloseTo(0.4 + (1 - 0.3), 6);
    expect(value(d(above))).toBeCloseTo(0.4, 6);
    expect([...tf.grad(d)(below).dataSync()]).toEqual([-0.5, -0.5]);
    expect([...tf.grad(d)(above).dataSync()].map(Math.abs)).toEqual([0, 0]);
  });

  it('the generator term is the energy of its fakes', () => {
    expect(value(lossOf({ type: 'ebgan', role: 'generator' }, { real }))).toBeCloseTo(0.4, 6);
  });
});

describe('pull-away term', () => {
  const pullAway = (embeddings: Tensor, params: Record<string, unknown> = {}) =>
    lossOf({ type: 'pullaway', ...params }, { embeddings });
  const e34 = () =>
    tf.tensor2d(
      [
        [1, 2, 0, -1],
        [0.5, -1, 3, 2],
        [-2, 0.3, 1, 1.5],
      ],
      [3, 4],
    );

  // Expected: numpy float64, (sum(((E/‖E‖)(E/‖E‖)ᵀ)²) - N) / (N(N-1)) on this tensor (rows
  // normalised by their L2 norms), and its gradient by central differences (h = 1e-6).
  // Tolerance 1e-6 absolute on the value, 1e-5 on the gradient (float32).
  it('is the mean squared cosine similarity between different samples (numpy)', () => {
    expect(Math.abs(value(pullAway(e34())) - 0.18181105958963428)).toBeLessThan(1e-6);
    const numpy = [
      0.03701623, -0.06015442, -0.12577083, -0.08329261, -0.09549579, -0.02901044, -0.01979342,
      0.03905885, 0.04413221, -0.12871378, 0.05334381, 0.04902316,
    ];
    const gradient = tf
      .grad((e: Tensor) => pullAway(e))(e34())
      .dataSync();
    numpy.forEach((g, i) => expect(Math.abs(gradient[i]! - g)).toBeLessThan(1e-5));
  });

  it('enters its optimizer multiplied by its weight', () => {
    expect(Math.abs(value(pullAway(e34(), { weight: 0.1 })) - 0.01818110595896343)).toBeLessThan(
      1e-7,
    );
  });

  // By hand: (1, 2)·(3, 1) = 5, ‖(1, 2)‖‖(3, 1)‖ = √50, so cos² = 1/2 for both ordered pairs.
  it('on two samples is their squared cosine, each sample flattened', () => {
    const images = tf.tensor4d([1, 2, 3, 1], [2, 1, 1, 2]);
    expect(value(pullAway(images))).toBeCloseTo(0.5, 6);
  });

  it('is 0 for orthogonal samples and 1 for parallel ones, whatever their lengths and signs', () => {
    const orthogonal = tf.tensor2d([3, 0, 0, 0, -0.5, 0, 0, 0, 2], [3, 3]);
    expect(Math.abs(value(pullAway(orthogonal)))).toBeLessThan(1e-7);
    const parallel = tf.tensor2d([1, 2, 3, 2, 4, 6, -0.1, -0.2, -0.3], [3, 3]);
    expect(value(pullAway(parallel))).toBeCloseTo(1, 6);
  });

  it('a sample of zeros counts as unlike every other, with finite gradients', () => {
    const withZeros = tf.tensor2d([0, 0, 0, 1, 1, 0, 2, 2, 0], [3, 3]);
    // Only the pair (1, 1, 0), (2, 2, 0) is alike: 2·1 / (3·2).
    expect(value(pullAway(withZeros))).toBeCloseTo(1 / 3, 6);
    const gradient = tf
      .grad((e: Tensor) => pullAway(e))(withZeros)
      .dataSync();
    expect(gradient.every(Number.isFinite)).toBe(true);
  });

  it('needs a batch of at least two samples, and says so at its port', () => {
    const loss = findNodeKind('Loss')!;
    const params = loss.params.parse({ type: 'pullaway' });
    expect(loss.inputs(params).map((p: { name: string }) => p.name)).toEqual(['embeddings']);
    const context = { applyNetwork: () => ({ output: [], layers: new Map() }) };
    expect(loss.inferShapes({ embeddings: [4, 2, 2, 8] }, params, context)).toEqual({ loss: [] });
    for (const embeddings of [[1, 32], [5]]) {
      let thrown: unknown;
      try {
        loss.inferShapes({ embeddings }, params, context);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toMatchObject({
        port: 'embeddings',
        message: expect.stringContaining(
          `"embeddings" must be N×features with N at least 2, received ${embeddings.join('×')}`,
        ),
      });
    }
  });
});

describe("EBGAN's template: L_G = D(G(z)) + lambda_pt·PT", () => {
  /** One step at the tiny sizes (batch 4, a code of 4) with this lambda_pt: the same data. */
  async function step(lambda: number) {
    const trainer = tinyTrainer(
      tf,
      tinyProgram('ebgan', () => {}, { lambda_pt: lambda }),
    );
    try {
      const { losses, recorded } = await trainer.step({ record: true });
      const read = (t: Tensor) => Array.from(t.dataSync());
      const gradients = new Map([...recorded!.gradients].map(([name, g]) => [name, read(g)]));
      const embeddings = recorded!.outputs.get('energy_fake.fc.0')!;
      const pt = value(lossOf({ type: 'pullaway' }, { embeddings }));
      tf.dispose([...recorded!.outputs.values(), ...recorded!.gradients.values()]);
      return { losses, gradients, pt };
    } finally {
      trainer.dispose();
    }
  }

  // D judges the fakes G made before its update, with D's weights as they were: the tapped
  // embeddings recorded are those the term saw. Tolerance 1e-5 relative (float32).
  it("the term is lambda_pt times PT of D's embeddings of the fakes, and moves G's gradient only", async () => {
    const without = await step(0);
    const with1 = await step(1);
    expect(without.losses.pullaway).toBe(0);
    expect(with1.pt).toBeGreaterThan(0);
    expect(Math.abs(with1.losses.pullaway! - with1.pt)).toBeLessThan(1e-5 * with1.pt);
    expect(with1.losses.G_loss).toBe(without.losses.G_loss);
    const changed = (prefix: string) =>
      [...with1.gradients].filter(
        ([name, g]) =>
          name.startsWith(prefix) &&
          g.some((gi, i) => Math.abs(gi - without.gradients.get(name)![i]!) > 1e-7),
      ).length;
    expect(changed('G.')).toBeGreaterThan(0);
    expect(changed('D.')).toBe(0);
  });
});

describe('loss roles', () => {
  const scores = tf.tensor2d([-2, 0.5, 3], [3, 1]);

  it("hinge: the generator's term is -mean D(G(z)), the discriminator's a margin", () => {
    expect(value(lossOf({ type: 'hinge', role: 'generator' }, { real: scores }))).toBeCloseTo(
      -0.5,
      6,
    );
    // relu(1 - x): 3, 0.5, 0.
    expect(value(lossOf({ type: 'hinge' }, { real: scores }))).toBeCloseTo(3.5 / 3, 6);
    // relu(1 + x): 0, 1.5, 4.
    expect(value(lossOf({ type: 'hinge' }, { fake: scores }))).toBeCloseTo(5.5 / 3, 6);
  });

  it('a generator term offers one port, "real"; a discriminator term "real" and "fake"', () => {
    const loss = findNodeKind('Loss')!;
    for (const type of ['lsgan', 'vanilla', 'wgan', 'hinge', 'ebgan', 'began']) {
      const ports = (role: string) =>
        loss.inputs(loss.params.parse({ type, role })).map((p: { name: string }) => p.name);
      expect(ports('generator')).toEqual(['real']);
      expect(ports('discriminator')).toEqual(['real', 'fake']);
    }
  });

  it("BEGAN's discriminator term needs both inputs, and says so", () => {
    const doc = JSON.parse(readTemplate('began'));
    doc.edges = doc.edges.filter(
      (e: { target: string; targetPort: string }) =>
        !(e.target === 'D_loss' && e.targetPort === 'fake'),
    );
    const result = checkGraph(doc);
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.message)).toContain(
      'D_loss.fake: input "fake" is not connected',
    );
  });
});
