/**
 * Taps at run time: a network application's tap ports carry the outputs of the layers they
 * name, computed in the same pass as its output, for the trainer's steps and for runNetworkTaps.
 * Checked against the layers' own formulas on the EBGAN template's autoencoder at the tiny sizes
 * (8×8 digits, batch 4, a code of 4). Tolerance 1e-6 absolute: the same cpu kernels on both sides.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/runtime/backends/select';
import { tinyProgram, tinyTrainer } from '../zoo/tiny';

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

const largestDifference = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** The autoencoder's code from its flattened features: the Dense layer fc.0, x·W + b. */
const code = (
  trainer: ReturnType<typeof tinyTrainer>,
  flat: tf.Tensor,
  weights = trainer.weights,
) =>
  tf.add(
    tf.matMul(flat as tf.Tensor2D, weights.get('D.fc.0.weight') as tf.Tensor as tf.Tensor2D),
    weights.get('D.fc.0.bias')!,
  );

describe('taps', () => {
  it('runNetworkTaps gives the outputs of the named layers with the same output as runNetwork', () => {
    const trainer = tinyTrainer(tf, tinyProgram('ebgan'));
    try {
      const x = tf.randomUniform([4, 8, 8, 1], -1, 1, 'float32', 11);
      tf.tidy(() => {
        const { out, taps } = trainer.runNetworkTaps('D', x, false, [
          'down.1',
          'flatten',
          'fc.0',
          'energy',
        ]);
        expect(Object.keys(taps)).toEqual(['down.1', 'flatten', 'fc.0', 'energy']);
        expect(taps['down.1']!.shape).toEqual([4, 4, 4, 4]);
        expect(taps['fc.0']!.shape).toEqual([4, 4]);
        expect(largestDifference(taps.flatten!, tf.reshape(taps['down.1']!, [4, 64]))).toBe(0);
        expect(largestDifference(taps['fc.0']!, code(trainer, taps.flatten!))).toBeLessThan(1e-6);
        expect(largestDifference(taps.energy!, out)).toBe(0);
        expect(largestDifference(out, trainer.runNetwork('D', x, false))).toBe(0);
      });
      for (const layer of ['embedding', 'input', 'output']) {
        expect(() => trainer.runNetworkTaps('D', x, false, [layer])).toThrow(
          `network "D" has no layer "${layer}" to tap`,
        );
      }
      x.dispose();
    } finally {
      trainer.dispose();
    }
  });

  it("a training step fills an application's tap ports with its layers' outputs", async () => {
    const program = tinyProgram('ebgan', (doc) => {
      doc.nodes.find((n) => n.id === 'energy_fake')!.params!.taps = ['flatten', 'fc.0'];
    });
    const energyFake = program.nodes.find((n) => n.id === 'energy_fake')!;
    expect(energyFake.outputShapes).toEqual({ out: [4, 1], flatten: [4, 64], 'fc.0': [4, 4] });
    const trainer = tinyTrainer(tf, program);
    // D updates last: every application of D in the step saw its weights as they are now.
    const before = new Map(
      ['D.fc.0.weight', 'D.fc.0.bias'].map((name) => [name, tf.clone(trainer.weights.get(name)!)]),
    );
    try {
      const { recorded } = await trainer.step({ record: true });
      const outputs = recorded!.outputs;
      const flat = outputs.get('energy_fake.flatten')!;
      const embedding = outputs.get('energy_fake.fc.0')!;
      expect(embedding.shape).toEqual([4, 4]);
      const expected = tf.tidy(() => code(trainer, flat, before));
      expect(largestDifference(embedding, expected)).toBeLessThan(1e-6);
      // Not the code of some other input: the fakes' codes differ from one another.
      expect(
        largestDifference(embedding.slice([0, 0], [1, 4]), embedding.slice([1, 0], [1, 4])),
      ).toBeGreaterThan(0);
      tf.dispose([expected, ...outputs.values(), ...recorded!.gradients.values()]);
    } finally {
      tf.dispose([...before.values()]);
      trainer.dispose();
    }
  });
});
