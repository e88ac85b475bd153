/**
 * The MNIST analogue of FID and its kin: how many generated digits the digit classifier reads
 * confidently, how evenly they spread over the ten classes (mode collapse shows as a drop), and
 * the Fréchet distance between real and generated digits in the classifier's feature space.
 */
import type { TF, Tensor } from '../../nodes/kind';
import {
  classifyDigits,
  DIGIT_CLASSES,
  DIGIT_FEATURES,
  NOT_A_DIGIT,
  type DigitClassifier,
} from './digitClassifier';
import { featureStatistics, frechetDistance, type FeatureStatistics } from './frechetDistance';
import type { DigitFigures } from './qualityReport';

export const CONFIDENT_PROBABILITY = 0.9;
const CLASSES = DIGIT_CLASSES;
/** Images classified at once: bounds the memory a measurement takes. */
const CHUNK = 128;

export interface DigitReadings {
  /** N×11 class probabilities (the ten digits, then not a digit), row after row. */
  probabilities: Float32Array;
  /** N×64 features, row after row. */
  features: Float32Array;
  count: number;
}

/** The classifier's readings of images N×H×W×C in [-1, 1], a chunk at a time, read back. */
export async function readDigits(
  tf: TF,
  classifier: DigitClassifier,
  images: Tensor,
): Promise<DigitReadings> {
  const count = images.shape[0]!;
  const probabilities = new Float32Array(count * CLASSES);
  const features = new Float32Array(count * DIGIT_FEATURES);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const read = tf.tidy(() => {
      const chunk = tf.slice(images, [start, 0, 0, 0], [n, -1, -1, -1]);
      const { probabilities: p, features: f } = classifyDigits(tf, classifier, chunk);
      return [p, f];
    });
    probabilities.set((await read[0]!.data()) as Float32Array, start * CLASSES);
    features.set((await read[1]!.data()) as Float32Array, start * DIGIT_FEATURES);
    tf.dispose(read);
  }
  return { probabilities, features, count };
}

/** Readings of some of the images (by index): one half of a set against the other. */
export function pickReadings(readings: DigitReadings, indices: readonly number[]): DigitReadings {
  const probabilities = new Float32Array(indices.length * CLASSES);
  const features = new Float32Array(indices.length * DIGIT_FEATURES);
  indices.forEach((from, to) => {
    probabilities.set(
      readings.probabilities.subarray(from * CLASSES, (from + 1) * CLASSES),
      to * CLASSES,
    );
    features.set(
      readings.features.subarray(from * DIGIT_FEATURES, (from + 1) * DIGIT_FEATURES),
      to * DIGIT_FEATURES,
    );
  });
  return { probabilities, features, count: indices.length };
}

/** The most likely class of each image. */
export function predictedClasses(readings: DigitReadings): number[] {
  return Array.from({ length: readings.count }, (_, i) => {
    const row = readings.probabilities.subarray(i * CLASSES, (i + 1) * CLASSES);
    let best = 0;
    for (let c = 1; c < CLASSES; c++) if (row[c]! > row[best]!) best = c;
    return best;
  });
}

/** Entropy in bits of how often each digit is predicted, among the images read as digits. */
export function classEntropy(classes: readonly number[]): number {
  const digits = classes.filter((c) => c !== NOT_A_DIGIT);
  const counts = new Array<number>(NOT_A_DIGIT).fill(0);
  for (const c of digits) counts[c]!++;
  let entropy = 0;
  for (const n of counts) {
    if (n > 0) entropy -= (n / digits.length) * Math.log2(n / digits.length);
  }
  return entropy;
}

export function digitStatistics(readings: DigitReadings): FeatureStatistics {
  return featureStatistics(readings.features, DIGIT_FEATURES);
}

/** The figures of some digits against the statistics of real ones. */
export function digitFigures(readings: DigitReadings, real: FeatureStatistics): DigitFigures {
  const classes = predictedClasses(readings);
  const confident = classes.filter(
    (c, i) => c !== NOT_A_DIGIT && readings.probabilities[i * CLASSES + c]! > CONFIDENT_PROBABILITY,
  ).length;
  return {
    confidentShare: confident / readings.count,
    classEntropy: classEntropy(classes),
    frechetDistance: frechetDistance(digitStatistics(readings), real),
    samples: readings.count,
  };
}
