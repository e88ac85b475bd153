/**
 * The committed digit classifier (scripts/train-digit-classifier.py) on the built-in MNIST test
 * digits, which it never saw in training: the last 50 of each class, 500 in all.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backends/select';
import { createMnistDataset } from '../data/mnist';
import { createRandom } from '../data/random';
import { loadDigitClassifier, type DigitClassifier } from './digitClassifier';
import {
  CONFIDENT_PROBABILITY,
  digitFigures,
  digitStatistics,
  pickReadings,
  predictedClasses,
  readDigits,
  type DigitReadings,
} from './digitQuality';

const PER_CLASS = 50;
let classifier: DigitClassifier;
let real: DigitReadings;
let noise: DigitReadings;

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
  classifier = await loadDigitClassifier(tf);
  const dataset = createMnistDataset(28);
  const pixels = 28 * 28 * 3;
  const data = new Float32Array(dataset.testCount * pixels);
  for (let i = 0; i < dataset.testCount; i++) data.set(dataset.testImage('A', i), i * pixels);
  const images = tf.tensor4d(data, [dataset.testCount, 28, 28, 3]);
  real = await readDigits(tf, classifier, images);
  images.dispose();
  const random = createRandom(7);
  const noisy = tf.tensor4d(
    Float32Array.from({ length: 500 * 28 * 28 }, () => random.next() * 2 - 1),
    [500, 28, 28, 1],
  );
  noise = await readDigits(tf, classifier, noisy);
  noisy.dispose();
});

afterAll(() => classifier.dispose());

const half = (readings: DigitReadings, parity: 0 | 1) =>
  pickReadings(
    readings,
    Array.from({ length: readings.count / 2 }, (_, i) => 2 * i + parity),
  );

describe('the digit classifier', () => {
  it('classifies at least 98% of the held-out test digits right', () => {
    const predicted = predictedClasses(real);
    const right = predicted.filter((c, i) => c === Math.floor(i / PER_CLASS)).length;
    expect(real.count).toBe(500);
    expect(right / real.count).toBeGreaterThanOrEqual(0.98);
  });

  it(`reads real test digits confidently (p > ${CONFIDENT_PROBABILITY}), noise hardly ever`, () => {
    const statistics = digitStatistics(real);
    const ofReal = digitFigures(real, statistics);
    const ofNoise = digitFigures(noise, statistics);
    expect(ofReal.confidentShare).toBeGreaterThan(0.9);
    expect(ofNoise.confidentShare).toBeLessThan(0.3);
    // Real digits spread over the ten classes: the entropy is near log2(10) = 3.32 bits.
    expect(ofReal.classEntropy).toBeGreaterThan(3.3);
  });

  it('puts two halves of the real test digits far closer than real digits and noise', () => {
    const fromHalves = digitFigures(half(real, 0), digitStatistics(half(real, 1)));
    const fromNoise = digitFigures(noise, digitStatistics(real));
    expect(fromHalves.frechetDistance).toBeLessThan(fromNoise.frechetDistance / 20);
  });
});
