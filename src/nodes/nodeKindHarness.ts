/**
 * The generic test every node kind passes, after Keras's `run_layer_test`: each kind's test file
 * (`<Kind file>.test.ts`, beside the kind) calls `testNodeKind` with examples of its params and
 * input shapes, then adds the checks only it needs (numbers against PyTorch, shape errors).
 *
 * For every kind: its params parse from defaults alone unless a field is required, it has
 * `apply` exactly when it computes (behavior layer or loss), and each example's params survive
 * a JSON round trip. For a kind that computes, each example also checks that it declares the
 * ports it is given and returns, that its shape rule agrees with a real tfjs run (training and
 * not), that the weights it declares are the ones `apply` uses and updates, and that every input
 * and trainable weight receives a gradient of its shape.
 *
 * Test code: it registers vitest tests, so only test files import it. Everything runs on the
 * tfjs cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ShapeError,
  type AnyNodeKind,
  type ApplyContext,
  type Shape,
  type ShapeContext,
  type Tensor,
  type WeightSpec,
} from './kind';

export interface NodeKindExample {
  name: string;
  params: Record<string, unknown>;
  /** Shapes on the input ports; a kind that computes is run on them. */
  inputs?: Record<string, Shape>;
}

/** A shape context for kinds that apply no network. */
export const noNetworks: ShapeContext = {
  applyNetwork: () => {
    throw new Error('no networks here');
  },
};

/** An apply context outside training, for numeric checks. */
export const evaluation: ApplyContext = { training: false, seed: () => 1, updateState: () => {} };

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

/** The ShapeError `f` throws; fails the test when it throws nothing or something else. */
export function thrownBy(f: () => unknown): ShapeError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ShapeError);
    return error as ShapeError;
  }
  throw new Error('expected a ShapeError, nothing was thrown');
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

export function testNodeKind(kind: AnyNodeKind, examples: readonly NodeKindExample[]): void {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  describe(`${kind.kind} (generic node kind checks)`, () => {
    const computes = kind.behavior === 'layer' || kind.behavior === 'loss';

    it('has apply exactly when it computes, and examples to run', () => {
      expect(Boolean(kind.apply), `${kind.kind}: apply iff behavior layer or loss`).toBe(computes);
      expect(examples.length, `${kind.kind} has no example`).toBeGreaterThan(0);
      if (computes) {
        for (const e of examples) expect(e.inputs, `${e.name} has input shapes`).toBeDefined();
      }
    });

    it('parses from defaults alone unless a field is required', () => {
      if (requiredFields(kind.params).length > 0) {
        expect(kind.params.safeParse({}).success).toBe(false);
        return;
      }
      const defaults = parsed(kind, {});
      expect(parsed(kind, JSON.parse(JSON.stringify(defaults)))).toEqual(defaults);
    });

    describe.each(examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
      const p = () => parsed(kind, example.params);

      it('params round-trip through JSON', () => {
        expect(parsed(kind, JSON.parse(JSON.stringify(p())))).toEqual(p());
      });

      if (computes && example.inputs) runChecks(kind, p, example.inputs);
    });
  });
}

/** The checks of a kind that computes, on one example's params and input shapes. */
function runChecks(
  kind: AnyNodeKind,
  p: () => Record<string, unknown>,
  exampleInputs: Record<string, Shape>,
) {
  it('declares the ports it is given and returns', () => {
    const inputNames = kind.inputs(p()).map((port) => port.name);
    for (const name of Object.keys(exampleInputs)) expect(inputNames).toContain(name);
    const shapes = kind.inferShapes(exampleInputs, p(), standInShapes);
    expect(Object.keys(shapes).sort()).toEqual(
      kind
        .outputs(p())
        .map((port) => port.name)
        .sort(),
    );
  });

  it.each([true, false])(
    'inferred shapes equal a real run (training %s), with the declared weights',
    (training) => {
      const params = p();
      const expected = kind.inferShapes(exampleInputs, params, standInShapes);
      const specs = kind.weights?.(exampleInputs, params) ?? [];
      tf.tidy(() => {
        const variables = Object.fromEntries(specs.map((s, i) => [s.name, initialValue(s, i)]));
        const inputs = Object.fromEntries(
          Object.entries(exampleInputs).map(([name, shape], i) => [
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
    const specs = (kind.weights?.(exampleInputs, params) ?? []).filter((s) => s.trainable);
    const frozen = (kind.weights?.(exampleInputs, params) ?? []).filter((s) => !s.trainable);
    const inputNames = Object.keys(exampleInputs);
    tf.tidy(() => {
      const xs = [
        ...Object.values(exampleInputs).map((shape, i) =>
          tf.randomNormal([...shape], 0, 1, 'float32', 200 + i),
        ),
        ...specs.map((s, i) => initialValue(s, i)),
      ];
      const state = Object.fromEntries(frozen.map((s) => [s.name, initialValue(s, 0)]));
      const expected = kind.inferShapes(exampleInputs, params, standInShapes);
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
}

/**
 * Each size-like param's ceiling, in its schema: the ceiling itself parses, one more is refused
 * at that param. `base` holds the params required besides.
 */
export function testCeilings(
  kind: AnyNodeKind,
  base: Record<string, unknown>,
  ceilings: Record<string, number>,
): void {
  describe(`${kind.kind} ceilings`, () => {
    it.each(Object.entries(ceilings))('%s is at most %i', (field, max) => {
      expect(kind.params.safeParse({ ...base, [field]: max }).success).toBe(true);
      const over = kind.params.safeParse({ ...base, [field]: max + 1 });
      expect(over.success).toBe(false);
      expect(over.error!.issues[0]!.path[0]).toBe(field);
    });
  });
}
