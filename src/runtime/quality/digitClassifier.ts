/**
 * The digit classifier that scores MNIST generators: a small CNN trained by
 * scripts/train-digit-classifier.py on the built-in MNIST training digits, its weights committed
 * in models/digit-classifier.safetensors in tfjs layouts. Applied with plain tfjs ops, forward
 * only: 28×28 grey in [-1, 1]; three 3×3 'same' convolutions (32, 64, 64) each with ReLU and 2×2
 * max pooling, a dense layer of 64 units with ReLU (the features of the Fréchet distance), and a
 * dense layer of 11 logits: the ten digits and "not a digit" (noise, blobs, flat grey), which
 * keeps it from reading an untrained generator's output as a digit with full confidence.
 */
import type { Tensor2D, Tensor4D } from '@tensorflow/tfjs';
import type { TF, Tensor } from '../../nodes/kind';
import { readSafeTensors } from '../safetensors';

export const DIGIT_SIDE = 28;
export const DIGIT_FEATURES = 64;
/** The ten digits, then NOT_A_DIGIT. */
export const DIGIT_CLASSES = 11;
/** The class of noise, blobs and flat grey: what is no digit at all. */
export const NOT_A_DIGIT = 10;

const TENSORS = {
  'conv1.kernel': [3, 3, 1, 32],
  'conv1.bias': [32],
  'conv2.kernel': [3, 3, 32, 64],
  'conv2.bias': [64],
  'conv3.kernel': [3, 3, 64, 64],
  'conv3.bias': [64],
  'features.kernel': [3 * 3 * 64, DIGIT_FEATURES],
  'features.bias': [DIGIT_FEATURES],
  'logits.kernel': [DIGIT_FEATURES, DIGIT_CLASSES],
  'logits.bias': [DIGIT_CLASSES],
} as const;
type WeightName = keyof typeof TENSORS;

/** Bundlers turn this into the file's address; in Node it is a file: URL. */
const WEIGHTS_URL = new URL('../../../models/digit-classifier.safetensors', import.meta.url);

export interface DigitClassifier {
  weights: Record<WeightName, Tensor>;
  dispose(): void;
}

/** The classifier of a safetensors file's bytes; it holds backend tensors until disposed. */
export function createDigitClassifier(tf: TF, bytes: Uint8Array): DigitClassifier {
  const file = readSafeTensors(bytes);
  const weights = {} as Record<WeightName, Tensor>;
  for (const [name, shape] of Object.entries(TENSORS) as [WeightName, readonly number[]][]) {
    const tensor = file.tensors.get(name);
    if (!tensor?.data || tensor.shape.join() !== shape.join()) {
      Object.values(weights).forEach((w) => w.dispose());
      throw new Error(
        `digit classifier: ${name} expected float32 of shape [${shape.join(', ')}], received ${tensor ? `${tensor.dtype} [${tensor.shape.join(', ')}]` : 'nothing'}`,
      );
    }
    weights[name] = tf.tensor(tensor.data, [...shape]);
  }
  return { weights, dispose: () => Object.values(weights).forEach((w) => w.dispose()) };
}

/** The committed weights' bytes: read from disk in Node, fetched in a browser. */
export async function digitClassifierBytes(): Promise<Uint8Array> {
  if (WEIGHTS_URL.protocol === 'file:') {
    const { readFileSync } = process.getBuiltinModule('node:fs');
    return new Uint8Array(readFileSync(WEIGHTS_URL));
  }
  const response = await fetch(WEIGHTS_URL);
  if (!response.ok) {
    throw new Error(`digit classifier: ${WEIGHTS_URL.href} answered ${response.status}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

export async function loadDigitClassifier(tf: TF): Promise<DigitClassifier> {
  return createDigitClassifier(tf, await digitClassifierBytes());
}

/**
 * Class probabilities (N×11) and features (N×64) of images N×H×W×C in [-1, 1] (C 1 or 3; grey
 * is the channels' mean), resized to 28×28 as the classifier was trained. The caller tidies.
 */
export function classifyDigits(
  tf: TF,
  classifier: DigitClassifier,
  images: Tensor,
): { probabilities: Tensor; features: Tensor } {
  const w = classifier.weights;
  const [n, height, width, channels] = images.shape as [number, number, number, number];
  let x = (channels === 1 ? images : tf.mean(images, 3, true)) as Tensor4D;
  if (height !== DIGIT_SIDE || width !== DIGIT_SIDE) {
    // half-pixel centres: PyTorch's interpolate(align_corners=False), as the script resamples
    x = tf.image.resizeBilinear(x, [DIGIT_SIDE, DIGIT_SIDE], false, true) as Tensor4D;
  }
  for (const layer of ['conv1', 'conv2', 'conv3'] as const) {
    const conv = tf.conv2d(x, w[`${layer}.kernel`] as Tensor4D, 1, 'same');
    x = tf.maxPool(tf.relu(tf.add(conv, w[`${layer}.bias`])) as Tensor4D, 2, 2, 'valid');
  }
  const dense = (input: Tensor, name: 'features' | 'logits') =>
    tf.add(tf.matMul(input as Tensor2D, w[`${name}.kernel`] as Tensor2D), w[`${name}.bias`]);
  const features = tf.relu(dense(tf.reshape(x, [n, 3 * 3 * 64]), 'features'));
  return { probabilities: tf.softmax(dense(features, 'logits')), features };
}
