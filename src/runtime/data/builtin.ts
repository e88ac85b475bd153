/**
 * Built-in two-domain datasets, rendered on demand from procedural scenes (see scenes.ts), so
 * training can start with no download. Images are HWC Float32Arrays in [-1, 1]; each call
 * renders afresh and returns an array the caller owns.
 */
import { hashInts } from './random';
import { MIN_SCENE_SIZE, renderScene, type SceneDomain } from './scenes';

export interface ImageBatch {
  data: Float32Array;
  /** NHWC */
  shape: [number, number, number, number];
}

export interface TwoDomainDataset {
  name: string;
  description: string;
  /** Side of every (square) image. */
  size: number;
  /** Train images per domain; with `domainCounts`, the larger domain's count. */
  trainCount: number;
  testCount: number;
  /** When A and B differ in number (a folder's trainA/ and trainB/): each domain's counts. */
  domainCounts?: { train: Record<SceneDomain, number>; test: Record<SceneDomain, number> };
  /** Whether train image i of A and train image i of B show the same scene (pix2pix data). */
  paired: boolean;
  /** deterministic: train item i of the domain */
  trainImage(domain: SceneDomain, index: number): Float32Array;
  testImage(domain: SceneDomain, index: number): Float32Array;
  /**
   * The true translation of test image i of `domain` into the other domain. Only data made for
   * it has one: the built-in scenes, and a folder whose testA/ and testB/ pair by file name.
   */
  testTruth?(domain: SceneDomain, index: number): Float32Array;
  /** Why a dataset with test images has no testTruth, where it can say (a folder's test names). */
  whyNoTruth?: string;
}

/** A dataset whose test images come with their true translations. */
export type DatasetWithTruth = TwoDomainDataset & Required<Pick<TwoDomainDataset, 'testTruth'>>;

/** How many train or test images a domain has. */
export function imageCount(
  dataset: TwoDomainDataset,
  split: 'train' | 'test',
  domain: SceneDomain,
): number {
  const counts = dataset.domainCounts?.[split];
  if (counts) return counts[domain];
  return split === 'train' ? dataset.trainCount : dataset.testCount;
}

export interface BuiltinDatasetEntry {
  description: string;
  create(size: number, seed?: number): DatasetWithTruth;
}

const TRAIN_COUNT = 1000;
const TEST_COUNT = 50;

// Each role draws its scenes from its own hashed stream, so train and test scenes (and, when
// unpaired, the A and B training scenes) are different scenes, whatever the counts.
const SceneRole = { trainA: 1, trainB: 2, testA: 3, testB: 4 } as const;

function createDaynight(name: string, paired: boolean, size: number, seed = 0): DatasetWithTruth {
  if (!Number.isInteger(size) || size < MIN_SCENE_SIZE) {
    throw new Error(`${name}: size expected an integer >= ${MIN_SCENE_SIZE}, received ${size}`);
  }
  if (!Number.isInteger(seed)) {
    throw new Error(`${name}: seed expected an integer, received ${seed}`);
  }
  const sceneSeed = (role: number, index: number) => hashInts(seed, role, index);
  const checkIndex = (method: string, index: number, count: number) => {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new RangeError(
        `${name}.${method}: index expected an integer in [0, ${count}), received ${index}`,
      );
    }
  };
  const trainScene = (domain: SceneDomain, index: number) =>
    sceneSeed(paired || domain === 'A' ? SceneRole.trainA : SceneRole.trainB, index);
  const testScene = (domain: SceneDomain, index: number) =>
    sceneSeed(paired || domain === 'A' ? SceneRole.testA : SceneRole.testB, index);
  const other = (domain: SceneDomain): SceneDomain => (domain === 'A' ? 'B' : 'A');
  return {
    name,
    description: BUILTIN_DATASETS[name]!.description,
    size,
    trainCount: TRAIN_COUNT,
    testCount: TEST_COUNT,
    paired,
    trainImage(domain, index) {
      checkIndex('trainImage', index, TRAIN_COUNT);
      return renderScene(trainScene(domain, index), size, domain);
    },
    testImage(domain, index) {
      checkIndex('testImage', index, TEST_COUNT);
      return renderScene(testScene(domain, index), size, domain);
    },
    testTruth(domain, index) {
      checkIndex('testTruth', index, TEST_COUNT);
      return renderScene(testScene(domain, index), size, other(domain));
    },
  };
}

export const BUILTIN_DATASETS: Record<string, BuiltinDatasetEntry> = {
  daynight: {
    description:
      'Procedural landscapes by day (A) and by night (B), unpaired: train image i of A and of B ' +
      'show different scenes, as CycleGAN data does. Test images come with their true translation.',
    create: (size, seed) => createDaynight('daynight', false, size, seed),
  },
  'daynight-paired': {
    description:
      'The same procedural landscapes, paired: train image i of A and of B show one scene by day ' +
      'and by night, for pix2pix-style supervised translation.',
    create: (size, seed) => createDaynight('daynight-paired', true, size, seed),
  },
};

/** Throws an Error naming the unknown dataset and listing the known names. */
export function createBuiltinDataset(name: string, size: number, seed?: number): DatasetWithTruth {
  const entry = Object.hasOwn(BUILTIN_DATASETS, name) ? BUILTIN_DATASETS[name] : undefined;
  if (!entry) {
    const known = Object.keys(BUILTIN_DATASETS).join(', ');
    throw new Error(`unknown built-in dataset "${name}"; known datasets: ${known}`);
  }
  return entry.create(size, seed);
}

/** Stacks HWC images of `size` x `size` x `channels` into one NHWC batch. */
export function stackBatch(images: Float32Array[], size: number, channels = 3): ImageBatch {
  if (images.length === 0) {
    throw new Error('stackBatch: expected at least one image, received none');
  }
  const length = size * size * channels;
  const data = new Float32Array(images.length * length);
  images.forEach((image, n) => {
    if (image.length !== length) {
      throw new Error(
        `stackBatch: image ${n} expected ${length} values (${size}x${size}x${channels}), ` +
          `received ${image.length}`,
      );
    }
    data.set(image, n * length);
  });
  return { data, shape: [images.length, size, size, channels] };
}
