/**
 * The generic test every node kind passes (after Keras's layer test): for each example in the
 * table, the shape rule agrees with a real tfjs run, the declared variables are the ones `apply`
 * uses, and the params survive a JSON round trip. Then shape errors that must quote what they
 * received, and numeric checks against hand-computed PyTorch results.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findNodeKind, NODE_KINDS } from './index';
import {
  ShapeError,
  type AnyNodeKind,
  type ApplyContext,
  type Shape,
  type ShapeContext,
  type Tensor,
  type WeightSpec,
} from './kind';
import { ADVERSARIAL_LOSSES } from './Loss';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const noNetworks: ShapeContext = {
  applyNetwork: () => {
    throw new Error('no networks here');
  },
};

/**
 * The network a term may apply (the gradient penalty's critic), here each sample's sum of
 * squares: its gradient 2x depends on the input, so a penalty on it has gradients of its own.
 */
function standInNetwork(_id: string, x: Tensor): Tensor {
  return tf.sum(tf.square(tf.reshape(x, [x.shape[0]!, -1])), 1, true);
}

/** The stand-in network's shape rule. */
const standInShapes: ShapeContext = {
  applyNetwork: (_id, input) => ({ output: [input[0]!, 1], layers: new Map() }),
};

interface Example {
  kind: string;
  name: string;
  params: Record<string, unknown>;
  inputs: Record<string, Shape>;
}

const RESIDUAL_EXAMPLES: Example[] = (['instance', 'batch', 'none'] as const).flatMap((norm) =>
  (['reflect', 'replicate', 'zero'] as const).flatMap((padding) =>
    [false, true].map((dropout) => ({
      kind: 'Residual',
      name: `norm ${norm}, padding ${padding}${dropout ? ', dropout' : ''}`,
      params: { norm, padding, dropout },
      inputs: { in: [2, 6, 6, 4] },
    })),
  ),
);

const LOSS_EXAMPLES: Example[] = [
  ...(['l1', 'l2'] as const).map((type) => ({
    kind: 'Loss',
    name: `${type} input/target`,
    params: { type, weight: 10 },
    inputs: { input: [2, 4, 4, 3], target: [2, 4, 4, 3] },
  })),
  ...ADVERSARIAL_LOSSES.flatMap((type) =>
    (
      [
        ['real only', { real: [2, 3, 3, 1] }],
        ['fake only', { fake: [2, 3, 3, 1] }],
        ['real and fake', { real: [2, 3, 3, 1], fake: [2, 3, 3, 1] }],
      ] as const
    )
      // BEGAN's discriminator term balances both (k_t): it takes both or nothing.
      .filter(([name]) => type !== 'began' || name === 'real and fake')
      .map(([name, inputs]) => ({
        kind: 'Loss',
        name: `${type} ${name}`,
        params: { type, weight: 0.5 },
        inputs,
      })),
  ),
  ...ADVERSARIAL_LOSSES.map((type) => ({
    kind: 'Loss',
    name: `${type} generator term`,
    params: { type, role: 'generator' },
    inputs: { real: [2, 1] },
  })),
  {
    kind: 'Loss',
    name: 'pullaway on vectors',
    params: { type: 'pullaway', weight: 0.1 },
    inputs: { embeddings: [3, 4] },
  },
  {
    kind: 'Loss',
    name: 'pullaway on images, flattened per sample',
    params: { type: 'pullaway' },
    inputs: { embeddings: [2, 2, 2, 3] },
  },
];

/** Every kind with an `apply` appears here at least once (the coverage test below checks). */
const EXAMPLES: Example[] = [
  {
    kind: 'Conv',
    name: 'stride 2 padding 1',
    params: { filters: 4, stride: 2, padding: 1 },
    inputs: { in: [2, 8, 8, 3] },
  },
  {
    kind: 'Conv',
    name: 'transposed stride 2 padding 1 outputPadding 1 on 5×5',
    params: { filters: 4, transposed: true, stride: 2, padding: 1, outputPadding: 1 },
    inputs: { in: [2, 5, 5, 3] },
  },
  {
    kind: 'Conv',
    name: 'transposed 4×4 stride 2 padding 1 (DCGAN)',
    params: { filters: 2, kernel: 4, transposed: true, stride: 2, padding: 1 },
    inputs: { in: [2, 4, 4, 3] },
  },
  {
    kind: 'Conv',
    name: "transposed 'same' stride 2",
    params: { filters: 2, transposed: true, stride: 2, padding: 'same' },
    inputs: { in: [1, 3, 5, 2] },
  },
  {
    kind: 'Conv',
    name: "transposed 'valid' stride 2",
    params: { filters: 2, transposed: true, stride: 2, padding: 'valid' },
    inputs: { in: [1, 3, 3, 2] },
  },
  {
    kind: 'Conv',
    name: "'same' stride 1",
    params: { filters: 3, padding: 'same' },
    inputs: { in: [2, 7, 5, 2] },
  },
  {
    kind: 'Conv',
    name: "'same' stride 2 on odd sizes",
    params: { filters: 3, stride: 2, padding: 'same' },
    inputs: { in: [2, 7, 5, 2] },
  },
  {
    kind: 'Conv',
    name: "'valid' 4×4 stride 2",
    params: { filters: 3, kernel: 4, stride: 2, padding: 'valid' },
    inputs: { in: [1, 9, 9, 2] },
  },
  {
    kind: 'Conv',
    name: 'kernel 7 padding 0 no bias',
    params: { filters: 3, kernel: 7, bias: false },
    inputs: { in: [1, 10, 12, 3] },
  },
  {
    kind: 'Conv',
    name: 'PatchGAN 4×4 stride 1 padding 1',
    params: { filters: 1, kernel: 4, padding: 1 },
    inputs: { in: [2, 6, 6, 8] },
  },
  { kind: 'InstanceNorm', name: 'default', params: {}, inputs: { in: [2, 5, 5, 3] } },
  { kind: 'InstanceNorm', name: 'affine', params: { affine: true }, inputs: { in: [2, 5, 5, 3] } },
  { kind: 'BatchNorm', name: 'images', params: {}, inputs: { in: [3, 4, 4, 3] } },
  { kind: 'BatchNorm', name: 'vectors', params: { momentum: 0.5 }, inputs: { in: [4, 6] } },
  ...(['relu', 'leaky_relu', 'tanh', 'sigmoid'] as const).map((fn) => ({
    kind: 'Activation',
    name: fn,
    params: { fn, alpha: 0.1 },
    inputs: { in: [2, 3, 3, 2] },
  })),
  { kind: 'Activation', name: 'on vectors', params: {}, inputs: { in: [2, 5] } },
  { kind: 'ReflectionPad', name: 'padding 1', params: {}, inputs: { in: [2, 5, 4, 2] } },
  {
    kind: 'ReflectionPad',
    name: 'padding 3',
    params: { padding: 3 },
    inputs: { in: [1, 8, 8, 3] },
  },
  ...RESIDUAL_EXAMPLES,
  {
    kind: 'Residual',
    name: 'no bias',
    params: { norm: 'batch', bias: false },
    inputs: { in: [2, 4, 4, 3] },
  },
  { kind: 'Upsample', name: 'nearest ×2', params: {}, inputs: { in: [2, 3, 5, 2] } },
  {
    kind: 'Upsample',
    name: 'bilinear ×2',
    params: { mode: 'bilinear' },
    inputs: { in: [2, 3, 5, 2] },
  },
  {
    kind: 'Upsample',
    name: 'bilinear ×3',
    params: { scale: 3, mode: 'bilinear' },
    inputs: { in: [1, 4, 2, 3] },
  },
  { kind: 'Upsample', name: 'nearest ×1', params: { scale: 1 }, inputs: { in: [1, 2, 2, 1] } },
  {
    kind: 'Upsample',
    name: 'bilinear on 1×1',
    params: { mode: 'bilinear' },
    inputs: { in: [2, 1, 1, 3] },
  },
  { kind: 'Concat', name: 'images', params: {}, inputs: { a: [2, 4, 4, 3], b: [2, 4, 4, 5] } },
  { kind: 'Concat', name: 'vectors', params: {}, inputs: { a: [2, 3], b: [2, 6] } },
  { kind: 'Add', name: 'images', params: {}, inputs: { a: [2, 4, 4, 3], b: [2, 4, 4, 3] } },
  { kind: 'Dropout', name: 'default rate', params: {}, inputs: { in: [2, 4, 4, 3] } },
  { kind: 'Dropout', name: 'rate 0.2 on vectors', params: { rate: 0.2 }, inputs: { in: [2, 7] } },
  { kind: 'Dense', name: 'with bias', params: { units: 5 }, inputs: { in: [2, 8] } },
  { kind: 'Dense', name: 'no bias', params: { units: 3, bias: false }, inputs: { in: [3, 4] } },
  {
    kind: 'Reshape',
    name: 'vector to image',
    params: { shape: [2, 2, 4] },
    inputs: { in: [2, 16] },
  },
  {
    kind: 'Reshape',
    name: 'image to vector',
    params: { shape: [48] },
    inputs: { in: [2, 4, 4, 3] },
  },
  { kind: 'Flatten', name: 'images', params: {}, inputs: { in: [2, 4, 4, 3] } },
  { kind: 'Flatten', name: 'vectors', params: {}, inputs: { in: [3, 5] } },
  ...(['l1', 'l2'] as const).map((distance) => ({
    kind: 'Energy',
    name: distance,
    params: { distance },
    inputs: { in: [2, 4, 4, 1], target: [2, 4, 4, 1] },
  })),
  ...LOSS_EXAMPLES,
  {
    kind: 'GradientPenalty',
    name: 'images',
    params: { network: 'D', weight: 10 },
    inputs: { real: [2, 3, 3, 2], fake: [2, 3, 3, 2] },
  },
  {
    kind: 'GradientPenalty',
    name: 'vectors',
    params: { network: 'D' },
    inputs: { real: [3, 4], fake: [3, 4] },
  },
];

/** Kinds whose behaviour the runtime provides (no `apply`), with an example of their params. */
const RUNTIME_PROVIDED: Record<string, Record<string, unknown>> = {
  Dataset: { size: 64 },
  Images: { size: 28, batchSize: 8 },
  Noise: { dim: 8, batchSize: 4, distribution: 'uniform' },
  Generator: { network: 'G_A' },
  Discriminator: { network: 'D_A', taps: ['model.2', 'model.4'] },
  ImagePool: {},
  Optimizer: { networks: ['G_A', 'G_B'], lr: 1e-3 },
  Preview: {},
  Input: {},
  Output: {},
};

function kindNamed(name: string): AnyNodeKind {
  const kind = findNodeKind(name);
  if (!kind) throw new Error(`no node kind ${name}`);
  return kind;
}

function parsed(kind: AnyNodeKind, params: unknown) {
  return kind.params.parse(params) as Record<string, unknown>;
}

/** Fields without a default that must be given. */
function requiredFields(schema: z.ZodType): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>)
    .filter(([, field]) => !field.safeParse(undefined).success)
    .map(([name]) => name);
}

function initialValue(spec: WeightSpec, seed: number): Tensor {
  if (spec.trainable) return tf.randomNormal(spec.shape, 0, 1, 'float32', seed);
  return spec.init === 'ones' ? tf.ones(spec.shape) : tf.zeros(spec.shape);
}

function expectFinite(t: Tensor, what: string) {
  const values = t.dataSync();
  expect(
    values.every((v) => Number.isFinite(v)),
    `${what} has non-finite values`,
  ).toBe(true);
}

function thrownBy(f: () => unknown): ShapeError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ShapeError);
    return error as ShapeError;
  }
  throw new Error('expected a ShapeError, nothing was thrown');
}

describe('every node kind', () => {
  it('is tested here, or provided by the runtime and has no apply', () => {
    const tested = new Set(EXAMPLES.map((e) => e.kind));
    for (const kind of NODE_KINDS) {
      const computes = kind.behavior === 'layer' || kind.behavior === 'loss';
      expect(Boolean(kind.apply), `${kind.kind}: apply iff role layer or loss`).toBe(computes);
      if (computes) expect(tested.has(kind.kind), `${kind.kind} has no example`).toBe(true);
      else expect(Object.keys(RUNTIME_PROVIDED), `${kind.kind} is not listed`).toContain(kind.kind);
    }
    for (const name of [...tested, ...Object.keys(RUNTIME_PROVIDED)]) kindNamed(name);
  });

  it.each(NODE_KINDS.map((k) => [k.kind, k] as const))(
    '%s parses from defaults alone unless a field is required',
    (_name, kind) => {
      if (requiredFields(kind.params).length > 0) {
        expect(kind.params.safeParse({}).success).toBe(false);
        return;
      }
      const defaults = parsed(kind, {});
      expect(parsed(kind, JSON.parse(JSON.stringify(defaults)))).toEqual(defaults);
    },
  );

  it.each(Object.entries(RUNTIME_PROVIDED))(
    '%s params round-trip through JSON',
    (name, example) => {
      const kind = kindNamed(name);
      const p = parsed(kind, example);
      expect(parsed(kind, JSON.parse(JSON.stringify(p)))).toEqual(p);
    },
  );

  it('Noise, Dataset and Images give the shapes of what the runtime samples', () => {
    const noise = kindNamed('Noise');
    expect(noise.inferShapes({}, parsed(noise, RUNTIME_PROVIDED.Noise), noNetworks)).toEqual({
      out: [4, 8],
    });
    expect(noise.outputs(parsed(noise, {}))).toEqual([expect.objectContaining({ type: 'noise' })]);
    const dataset = kindNamed('Dataset');
    expect(
      dataset.inferShapes({}, parsed(dataset, { size: 16, batchSize: 2 }), noNetworks),
    ).toEqual({ real_A: [2, 16, 16, 3], real_B: [2, 16, 16, 3] });
    const images = kindNamed('Images');
    expect(images.inferShapes({}, parsed(images, RUNTIME_PROVIDED.Images), noNetworks)).toEqual({
      real: [8, 28, 28, 1],
    });
  });
});

describe.each(EXAMPLES.map((e) => [`${e.kind} ${e.name}`, e] as const))('%s', (_label, example) => {
  const kind = kindNamed(example.kind);
  const p = () => parsed(kind, example.params);

  it('params round-trip through JSON', () => {
    expect(parsed(kind, JSON.parse(JSON.stringify(p())))).toEqual(p());
  });

  it('declares the ports it is given and returns', () => {
    const inputNames = kind.inputs(p()).map((port) => port.name);
    for (const name of Object.keys(example.inputs)) expect(inputNames).toContain(name);
    const shapes = kind.inferShapes(example.inputs, p(), standInShapes);
    expect(Object.keys(shapes).sort()).toEqual(
      kind
        .outputs(p())
        .map((port) => port.name)
        .sort(),
    );
  });

  it.each([true, false])(
    'inferred shapes equal a real run (training %s), with the declared variables',
    (training) => {
      const params = p();
      const expected = kind.inferShapes(example.inputs, params, standInShapes);
      const specs = kind.weights?.(example.inputs, params) ?? [];
      tf.tidy(() => {
        const variables = Object.fromEntries(specs.map((s, i) => [s.name, initialValue(s, i)]));
        const inputs = Object.fromEntries(
          Object.entries(example.inputs).map(([name, shape], i) => [
            name,
            tf.randomNormal([...shape], 0, 1, 'float32', 100 + i),
          ]),
        );
        const updates: [string, number[]][] = [];
        const context: ApplyContext = {
          training,
          seed: () => 1,
          updateState: (name, value) => updates.push([name, value.shape]),
          applyNetwork: standInNetwork,
        };
        const out = kind.apply!(tf, inputs, variables, params, context);
        expect(Object.keys(out).sort()).toEqual(Object.keys(expected).sort());
        for (const [port, shape] of Object.entries(expected)) {
          expect(out[port]!.shape, `output "${port}"`).toEqual(shape);
          expectFinite(out[port]!, `output "${port}"`);
        }
        for (const [name, shape] of updates) {
          const spec = specs.find((s) => s.name === name);
          expect(spec, `state "${name}" is declared`).toBeDefined();
          expect(spec!.trainable, `state "${name}" is not trained`).toBe(false);
          expect(shape, `state "${name}"`).toEqual(spec!.shape);
        }
        if (!training) expect(updates).toEqual([]);
      });
    },
  );

  it('every input and trainable variable receives a gradient of its shape', () => {
    const params = p();
    const specs = (kind.weights?.(example.inputs, params) ?? []).filter((s) => s.trainable);
    const frozen = (kind.weights?.(example.inputs, params) ?? []).filter((s) => !s.trainable);
    const inputNames = Object.keys(example.inputs);
    tf.tidy(() => {
      const xs = [
        ...Object.values(example.inputs).map((shape, i) =>
          tf.randomNormal([...shape], 0, 1, 'float32', 200 + i),
        ),
        ...specs.map((s, i) => initialValue(s, i)),
      ];
      const state = Object.fromEntries(frozen.map((s) => [s.name, initialValue(s, 0)]));
      const expected = kind.inferShapes(example.inputs, params, standInShapes);
      const weights = Object.fromEntries(
        Object.entries(expected).map(([port, shape], i) => [
          port,
          tf.randomNormal([...shape], 0, 1, 'float32', 300 + i),
        ]),
      );
      const grads = tf.grads((...values: Tensor[]) => {
        const inputs = Object.fromEntries(inputNames.map((name, i) => [name, values[i]!]));
        const variables = {
          ...state,
          ...Object.fromEntries(specs.map((s, i) => [s.name, values[inputNames.length + i]!])),
        };
        const out = kind.apply!(tf, inputs, variables, params, {
          training: true,
          seed: () => 1,
          updateState: () => {},
          applyNetwork: standInNetwork,
        });
        return tf.addN(Object.entries(out).map(([port, y]) => tf.sum(tf.mul(y, weights[port]!))));
      })(xs);
      grads.forEach((g, i) => {
        expect(g.shape).toEqual(xs[i]!.shape);
        expectFinite(g, `gradient ${i}`);
      });
    });
  });
});

describe('shape errors quote what they received', () => {
  const conv = kindNamed('Conv');

  it('Conv on a 3-D input', () => {
    const error = thrownBy(() =>
      conv.inferShapes({ in: [1, 8, 8] }, parsed(conv, { filters: 4 }), noNetworks),
    );
    expect(error.port).toBe('in');
    expect(error.message).toContain('received 1×8×8');
  });

  it('Conv whose output would be empty names the sizes', () => {
    const error = thrownBy(() =>
      conv.inferShapes({ in: [1, 4, 4, 3] }, parsed(conv, { filters: 4, kernel: 7 }), noNetworks),
    );
    expect(error.port).toBe('in');
    expect(error.message).toContain('1×4×4×3');
    expect(error.message).toContain('7×7');
    expect(error.message).toContain('-2×-2');
  });

  it('Conv with no input connected', () => {
    expect(
      thrownBy(() => conv.inferShapes({}, parsed(conv, { filters: 4 }), noNetworks)).port,
    ).toBe('in');
  });

  it('Concat whose inputs differ in more than channels names port b and both shapes', () => {
    const concat = kindNamed('Concat');
    const error = thrownBy(() =>
      concat.inferShapes({ a: [2, 8, 8, 3], b: [2, 4, 4, 3] }, parsed(concat, {}), noNetworks),
    );
    expect(error.port).toBe('b');
    expect(error.message).toContain('2×8×8×3');
    expect(error.message).toContain('2×4×4×3');
    const rank = thrownBy(() =>
      concat.inferShapes({ a: [2, 8, 8, 3], b: [2, 192] }, parsed(concat, {}), noNetworks),
    );
    expect(rank.port).toBe('b');
    expect(rank.message).toContain('2×192');
  });

  it('Add of different shapes names port b and both shapes', () => {
    const add = kindNamed('Add');
    const error = thrownBy(() =>
      add.inferShapes({ a: [2, 4, 4, 3], b: [2, 4, 4, 6] }, parsed(add, {}), noNetworks),
    );
    expect(error.port).toBe('b');
    expect(error.message).toContain('2×4×4×3');
    expect(error.message).toContain('2×4×4×6');
  });

  it('Loss l1 whose target differs names port "target"', () => {
    const loss = kindNamed('Loss');
    const error = thrownBy(() =>
      loss.inferShapes(
        { input: [1, 8, 8, 3], target: [1, 8, 8, 1] },
        parsed(loss, { type: 'l1' }),
        noNetworks,
      ),
    );
    expect(error.port).toBe('target');
    expect(error.message).toContain('1×8×8×3');
    expect(error.message).toContain('1×8×8×1');
  });

  it('Reshape to another number of values quotes both', () => {
    const reshape = kindNamed('Reshape');
    const error = thrownBy(() =>
      reshape.inferShapes({ in: [2, 100] }, parsed(reshape, { shape: [4, 4, 8] }), noNetworks),
    );
    expect(error.port).toBe('in');
    expect(error.message).toContain('2×100');
    expect(error.message).toContain('4×4×8');
    expect(error.message).toContain('128');
  });

  it('Dense on images, Upsample on vectors, Flatten without a batch axis', () => {
    const dense = kindNamed('Dense');
    expect(
      thrownBy(() =>
        dense.inferShapes({ in: [2, 4, 4, 3] }, parsed(dense, { units: 8 }), noNetworks),
      ).message,
    ).toContain('received 2×4×4×3');
    const upsample = kindNamed('Upsample');
    expect(
      thrownBy(() => upsample.inferShapes({ in: [2, 16] }, parsed(upsample, {}), noNetworks))
        .message,
    ).toContain('received 2×16');
    const flatten = kindNamed('Flatten');
    expect(
      thrownBy(() => flatten.inferShapes({ in: [5] }, parsed(flatten, {}), noNetworks)).message,
    ).toContain('received 5');
  });

  it('ReflectionPad wider than its input', () => {
    const pad = kindNamed('ReflectionPad');
    const error = thrownBy(() =>
      pad.inferShapes({ in: [1, 3, 3, 2] }, parsed(pad, { padding: 3 }), noNetworks),
    );
    expect(error.message).toContain('received 1×3×3×2');
  });
});

describe('numbers', () => {
  const evaluation: ApplyContext = { training: false, seed: () => 1, updateState: () => {} };
  const run = (name: string, params: unknown, inputs: Record<string, Tensor>, vars = {}) => {
    const kind = kindNamed(name);
    return kind.apply!(tf, inputs, vars, parsed(kind, params), evaluation);
  };
  const ramp = () => tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const grid = (t: Tensor) => t.squeeze().arraySync();

  // Expected values: PyTorch's nn.ReflectionPad2d(1) on [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
  // (rows and columns are taken in the order 1, 0, 1, 2, 1), exact.
  it('reflection padding equals PyTorch ReflectionPad2d(1)', () => {
    expect(grid(run('ReflectionPad', { padding: 1 }, { in: ramp() }).out!)).toEqual([
      [5, 4, 5, 6, 5],
      [2, 1, 2, 3, 2],
      [5, 4, 5, 6, 5],
      [8, 7, 8, 9, 8],
      [5, 4, 5, 6, 5],
    ]);
  });

  // With weights w[p][q] = 5p + q + 1 on the 5×5 padded grid, input row a is read by padded rows
  // R(0) = {1}, R(1) = {0, 2, 4}, R(2) = {3} (columns alike), so the gradient at (a, b) is the sum
  // of w over R(a)×R(b), e.g. (1, 1): w at rows and columns {0, 2, 4} = 117. tf.mirrorPad's
  // gradient would return only the interior weights [[7, 8, 9], [12, 13, 14], [17, 18, 19]].
  // Exact.
  it('reflection padding sends border gradients back', () => {
    const weights = tf.reshape(tf.range(1, 26), [1, 5, 5, 1]);
    const g = tf.grad((x: Tensor) =>
      tf.sum(tf.mul(run('ReflectionPad', { padding: 1 }, { in: x }).out!, weights)),
    )(ramp());
    expect(grid(g)).toEqual([
      [7, 24, 9],
      [36, 117, 42],
      [17, 54, 19],
    ]);
  });

  it('transposed conv stride 2 padding 1 outputPadding 1 doubles the size', () => {
    const kind = kindNamed('Conv');
    const params = parsed(kind, {
      filters: 2,
      transposed: true,
      stride: 2,
      padding: 1,
      outputPadding: 1,
    });
    const out = kind.apply!(
      tf,
      { in: tf.ones([1, 5, 5, 3]) },
      { weight: tf.ones([3, 3, 2, 3]), bias: tf.zeros([2]) },
      params,
      evaluation,
    ).out!;
    expect(out.shape).toEqual([1, 10, 10, 2]);
    expect(kind.inferShapes({ in: [1, 5, 5, 3] }, params, noNetworks).out).toEqual([1, 10, 10, 2]);
  });

  // Tolerance 1e-4: eps 1e-5 shrinks the variance by a factor v / (v + eps), about 1e-6 here.
  it('instance norm gives each sample and channel mean 0 and biased variance 1', () => {
    const x = tf.add(tf.mul(tf.randomNormal([2, 6, 5, 3], 0, 1, 'float32', 7), 3), 2);
    const y = run('InstanceNorm', {}, { in: x }).out!;
    const { mean, variance } = tf.moments(y, [1, 2]);
    for (const v of mean.dataSync()) expect(Math.abs(v)).toBeLessThan(1e-4);
    for (const v of variance.dataSync()) expect(Math.abs(v - 1)).toBeLessThan(1e-4);
  });

  // BCE with logits against "real": log(1 + e^-x), so [-100, 0, 100] gives
  // (100 + log 2 + ~0) / 3 = 100/3 + log(2)/3. Tolerance 1e-5 (float32 at 33.6).
  it('vanilla loss is BCE with logits, finite for large logits', () => {
    const logits = tf.tensor4d([-100, 0, 100], [1, 1, 3, 1]);
    const real = run('Loss', { type: 'vanilla' }, { real: logits }).loss!;
    expect(Math.abs(real.dataSync()[0]! - (100 / 3 + Math.log(2) / 3))).toBeLessThan(1e-5);
    const large = tf.tensor4d([-1e4, 1e4], [1, 1, 2, 1]);
    const both = run('Loss', { type: 'vanilla' }, { real: large, fake: large }).loss!;
    // real: (1e4 + 0) / 2; fake: (0 + 1e4) / 2.
    expect(both.dataSync()[0]).toBeCloseTo(1e4, 2);
  });

  // PyTorch's nn.Upsample documentation example: [[1, 2], [3, 4]], scale_factor 2.
  it('upsampling equals PyTorch nn.Upsample (nearest, bilinear align_corners=False)', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(grid(run('Upsample', { mode: 'nearest' }, { in: x }).out!)).toEqual([
      [1, 1, 2, 2],
      [1, 1, 2, 2],
      [3, 3, 4, 4],
      [3, 3, 4, 4],
    ]);
    const bilinear = grid(run('Upsample', { mode: 'bilinear' }, { in: x }).out!) as number[][];
    const expected = [
      [1.0, 1.25, 1.75, 2.0],
      [1.5, 1.75, 2.25, 2.5],
      [2.5, 2.75, 3.25, 3.5],
      [3.0, 3.25, 3.75, 4.0],
    ];
    bilinear.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i]!, 6));
  });

  // tf.image.resizeBilinear(halfPixelCenters true) samples as PyTorch does (its forward is right;
  // its gradient is not); tolerance 1e-5.
  it('bilinear upsampling by 3 on a non-square batch equals tf.image.resizeBilinear', () => {
    const x = tf.randomNormal([2, 3, 4, 2], 0, 1, 'float32', 11);
    const ours = run('Upsample', { scale: 3, mode: 'bilinear' }, { in: x }).out!;
    const theirs = tf.image.resizeBilinear(x as tf.Tensor4D, [9, 12], false, true);
    expect(tf.max(tf.abs(tf.sub(ours, theirs))).dataSync()[0]).toBeLessThan(1e-5);
  });

  // Upsampling is linear, so the gradient of sum(up(x) * w) at input i is sum(up(e_i) * w), with
  // e_i the i-th basis tensor: the expected values come from forward runs only. Tolerance 1e-5.
  it.each(['nearest', 'bilinear'])(
    '%s upsampling sends back the gradient of its forward map (batch 2, non-square)',
    (mode) => {
      const shape = [2, 2, 3, 1];
      const up = (x: Tensor) => run('Upsample', { mode }, { in: x }).out!;
      const w = tf.randomNormal([2, 4, 6, 1], 0, 1, 'float32', 5);
      const g = tf
        .grad((x: Tensor) => tf.sum(tf.mul(up(x), w)))(tf.zeros(shape))
        .dataSync();
      for (let i = 0; i < 12; i++) {
        const basis = tf.buffer(shape);
        basis.values[i] = 1;
        const expected = tf.sum(tf.mul(up(basis.toTensor()), w)).dataSync()[0]!;
        expect(Math.abs(g[i]! - expected)).toBeLessThan(1e-5);
      }
    },
  );

  // PyTorch Linear: y = x W^T + b with W [out, in]; ours stores W^T. Exact.
  it('dense computes x·W + b', () => {
    const out = run(
      'Dense',
      { units: 3 },
      { in: tf.tensor2d([[1, 2]]) },
      {
        weight: tf.tensor2d([
          [1, 0, 1],
          [0, 1, 1],
        ]),
        bias: tf.tensor1d([0.5, 0, -1]),
      },
    ).out!;
    expect(out.arraySync()).toEqual([[1.5, 2, 2]]);
  });

  it('dropout zeroes values and scales the rest by 1 / (1 - rate) only while training', () => {
    const kind = kindNamed('Dropout');
    const x = tf.ones([1, 16, 16, 4]);
    const params = parsed(kind, { rate: 0.5 });
    const training = { training: true, seed: () => 3, updateState: () => {} };
    const values = [...kind.apply!(tf, { in: x }, {}, params, training).out!.dataSync()];
    expect(new Set(values)).toEqual(new Set([0, 2]));
    const kept = values.filter((v) => v === 2).length / values.length;
    expect(kept).toBeGreaterThan(0.4);
    expect(kept).toBeLessThan(0.6);
    expect(kind.apply!(tf, { in: x }, {}, params, evaluation).out!.dataSync()).toEqual(
      x.dataSync(),
    );
  });

  it('concat puts the channels of a before those of b', () => {
    const out = run(
      'Concat',
      {},
      { a: tf.fill([1, 1, 1, 2], 1), b: tf.fill([1, 1, 1, 1], 2) },
    ).out!;
    expect(out.dataSync()).toEqual(new Float32Array([1, 1, 2]));
  });
});
