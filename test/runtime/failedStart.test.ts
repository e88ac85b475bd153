/**
 * A start that fails part way leaks no tensor: when the backend refuses an allocation while the
 * trainer is being built, everything made before it is disposed, so retrying does not pile up.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/runtime/backends/select';
import { compileGraph } from '../../src/runtime/compile';
import { DataBatchSource } from '../../src/runtime/data/batches';
import type { TrainingProgram } from '../../src/runtime/program';
import { Trainer } from '../../src/runtime/trainer';

const read = (name: string) =>
  readFileSync(new URL(`../../templates/${name}.json`, import.meta.url), 'utf8');

function compiled(name: string, sets: Record<string, number>): TrainingProgram {
  const result = compileGraph(read(name), sets);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.program;
}

/** The program with the last weight of its last network given a length no typed array has. */
function refusedAtLastWeight(program: TrainingProgram): TrainingProgram {
  const copy = structuredClone(program);
  const layer = copy.networks.at(-1)!.layers.findLast((l) => l.weights.length > 0)!;
  layer.weights.at(-1)!.shape = [-1];
  return copy;
}

describe('a failed start', () => {
  beforeAll(async () => {
    await selectBackend(tf, 'cpu');
  });

  it.each([
    ['cyclegan', { size: 16, ngf: 4, ndf: 4, n_blocks: 1, n_layers_D: 2 }],
    // BEGAN's k_t is state of a training-graph node, made after the networks' weights.
    ['began', { size: 16, ngf: 4, ndf: 4, batch_size: 2 }],
  ])('of %s leaves tf.memory().numTensors as it was', (name, sets) => {
    const program = refusedAtLastWeight(compiled(name, sets));
    const before = tf.memory().numTensors;
    expect(() => new Trainer(tf, program, { source: new DataBatchSource() })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('of a training-graph node’s state leaves no tensor either', () => {
    const program = structuredClone(compiled('began', { size: 16, ngf: 4, ndf: 4, batch_size: 2 }));
    // The node state's weights come from its kind: a failing variable stands in for the backend.
    const variable = tf.variable;
    let made = 0;
    const weightCount = program.networks.flatMap((n) => n.layers.flatMap((l) => l.weights)).length;
    const failing = ((...args: Parameters<typeof tf.variable>) => {
      if (++made > weightCount) throw new RangeError('Array buffer allocation failed');
      return variable(...args);
    }) as typeof tf.variable;
    const before = tf.memory().numTensors;
    expect(
      () => new Trainer({ ...tf, variable: failing }, program, { source: new DataBatchSource() }),
    ).toThrow(RangeError);
    expect(made).toBe(weightCount + 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
