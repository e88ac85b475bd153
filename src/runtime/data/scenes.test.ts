import { describe, it, expect } from 'vitest';
import { createRandom, restoreRandom } from './random';
import { renderScene } from './scenes';
import { BUILTIN_DATASETS, createBuiltinDataset, stackBatch } from './builtin';

function meanAbsDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** 2x2 average pooling of an HWC 3-channel image. */
function halve(image: Float32Array, size: number): Float32Array {
  const half = size / 2;
  const out = new Float32Array(half * half * 3);
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      for (let c = 0; c < 3; c++) {
        const at = (yy: number, xx: number) => image[(yy * size + xx) * 3 + c]!;
        out[(y * half + x) * 3 + c] =
          (at(2 * y, 2 * x) +
            at(2 * y, 2 * x + 1) +
            at(2 * y + 1, 2 * x) +
            at(2 * y + 1, 2 * x + 1)) /
          4;
      }
    }
  }
  return out;
}

/**
 * Pearson correlation of the two images' edge maps: gradient magnitude of log luminance
 * (so the night's darkening gain does not hide edges) after a 3x3 median (which removes stars
 * and lit windows, the structure night adds).
 */
function edgeCorrelation(a: Float32Array, b: Float32Array, size: number): number {
  const edges = (image: Float32Array) => {
    const luminance = new Float64Array(size * size);
    for (let i = 0; i < size * size; i++) {
      const mean = (image[3 * i]! + image[3 * i + 1]! + image[3 * i + 2]!) / 3;
      luminance[i] = Math.log((mean + 1) / 2 + 0.02);
    }
    const clamp = (i: number) => Math.min(size - 1, Math.max(0, i));
    const median = new Float64Array(size * size);
    const window: number[] = [];
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        window.length = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++)
            window.push(luminance[clamp(y + dy) * size + clamp(x + dx)]!);
        }
        window.sort((p, q) => p - q);
        median[y * size + x] = window[4]!;
      }
    }
    const out = new Float64Array((size - 1) * (size - 1));
    for (let y = 0; y < size - 1; y++) {
      for (let x = 0; x < size - 1; x++) {
        const here = median[y * size + x]!;
        out[y * (size - 1) + x] = Math.hypot(
          median[y * size + x + 1]! - here,
          median[(y + 1) * size + x]! - here,
        );
      }
    }
    return out;
  };
  const ea = edges(a);
  const eb = edges(b);
  const mean = (e: Float64Array) => e.reduce((s, v) => s + v, 0) / e.length;
  const ma = mean(ea);
  const mb = mean(eb);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < ea.length; i++) {
    ab += (ea[i]! - ma) * (eb[i]! - mb);
    aa += (ea[i]! - ma) ** 2;
    bb += (eb[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

const average = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

describe('createRandom', () => {
  it('gives the same sequence for the same seed and different ones for different seeds', () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 20 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws uniforms in [0, 1), integers in [0, n) and standard normals', () => {
    const random = createRandom(7);
    const n = 20000;
    let sum = 0;
    let sumSquares = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const u = random.next();
      const k = random.int(5);
      if (!(u >= 0 && u < 1) || !(Number.isInteger(k) && k >= 0 && k < 5)) outOfRange++;
      const z = random.normal();
      sum += z;
      sumSquares += z * z;
    }
    expect(outOfRange).toBe(0);
    // The sample mean's standard error is 1/sqrt(20000) ~ 0.007, the variance's ~ 0.01:
    // bounds of about 5 standard errors.
    expect(Math.abs(sum / n)).toBeLessThan(0.035);
    expect(Math.abs(sumSquares / n - 1)).toBeLessThan(0.05);
  });

  it('continues exactly from a saved state', () => {
    const random = createRandom(123);
    random.next();
    random.normal();
    random.int(10);
    const saved = random.state();
    const expected = [random.next(), random.normal(), random.int(1000), random.next()];
    const restored = restoreRandom(saved);
    expect([restored.next(), restored.normal(), restored.int(1000), restored.next()]).toEqual(
      expected,
    );
    const recreated = createRandom(saved);
    expect([recreated.next(), recreated.normal(), recreated.int(1000), recreated.next()]).toEqual(
      expected,
    );
    expect(restored.state()).toBe(random.state());
  });

  it('rejects states that state() cannot have returned, and bad arguments', () => {
    expect(() => restoreRandom(-1)).toThrow(/restoreRandom: state .* received -1/);
    expect(() => restoreRandom(1.5)).toThrow(/received 1\.5/);
    expect(() => restoreRandom(2 ** 32)).toThrow(/restoreRandom/);
    expect(() => createRandom(Number.NaN)).toThrow(/createRandom: seed .* received NaN/);
    expect(() => createRandom(1).int(0)).toThrow(/Random\.int: n .* received 0/);
  });
});

describe('renderScene', () => {
  it('is deterministic by seed', () => {
    expect(renderScene(5, 32, 'A')).toEqual(renderScene(5, 32, 'A'));
    expect(renderScene(5, 32, 'B')).toEqual(renderScene(5, 32, 'B'));
  });

  it('returns HWC 3-channel images with values in [-1, 1] that use the range', () => {
    for (const size of [8, 17, 64]) {
      for (const domain of ['A', 'B'] as const) {
        const image = renderScene(3, size, domain);
        expect(image).toBeInstanceOf(Float32Array);
        expect(image.length).toBe(size * size * 3);
        expect(Math.min(...image)).toBeGreaterThanOrEqual(-1);
        expect(Math.max(...image)).toBeLessThanOrEqual(1);
      }
    }
    // Day has bright sky and sun, night has near-black sky: both span most of [-1, 1].
    const day = renderScene(3, 64, 'A');
    const night = renderScene(3, 64, 'B');
    expect(Math.max(...day) - Math.min(...day)).toBeGreaterThan(1);
    expect(Math.max(...night) - Math.min(...night)).toBeGreaterThan(1);
  });

  it('renders night darker than day', () => {
    for (let seed = 0; seed < 10; seed++) {
      const mean = (image: Float32Array) => image.reduce((s, v) => s + v, 0) / image.length;
      // Measured over 40 scenes: day means 0.03 to 0.26, night means -0.66 to -0.59.
      expect(mean(renderScene(seed, 32, 'B'))).toBeLessThan(mean(renderScene(seed, 32, 'A')) - 0.5);
    }
  });

  it('gives different scenes for different seeds', () => {
    const images = Array.from({ length: 20 }, (_, seed) => renderScene(seed, 32, 'A'));
    for (let i = 0; i < images.length; i++) {
      for (let j = i + 1; j < images.length; j++) {
        // Measured: different day scenes differ by 0.17 to 0.32 mean absolute value.
        expect(meanAbsDifference(images[i]!, images[j]!)).toBeGreaterThan(0.05);
      }
    }
  });

  it('renders day and night of one scene differently but with shared structure', () => {
    const size = 64;
    const same: number[] = [];
    const different: number[] = [];
    for (let seed = 0; seed < 20; seed++) {
      const day = renderScene(seed, size, 'A');
      const night = renderScene(seed, size, 'B');
      const otherNight = renderScene(seed + 1000, size, 'B');
      // Measured over 40 scenes: 0.75 to 0.95.
      expect(meanAbsDifference(day, night)).toBeGreaterThan(0.5);
      same.push(edgeCorrelation(day, night, size));
      different.push(edgeCorrelation(day, otherNight, size));
      expect(same[seed]!).toBeGreaterThan(different[seed]!);
    }
    // Measured over 60 scenes: same scene 0.15 to 0.59 (mean 0.37); different scenes -0.05 to
    // 0.09 (mean 0.01).
    expect(average(same)).toBeGreaterThan(0.25);
    expect(average(different)).toBeLessThan(0.1);
  });

  it('shows the same scene at every size', () => {
    for (let seed = 0; seed < 5; seed++) {
      // Measured over 40 scenes, 64 pooled to 32 against 32: day 0.004 to 0.016; night 0.05 to
      // 0.10, as stars keep a minimum size in pixels so they stay visible at small sizes.
      const day64 = halve(renderScene(seed, 64, 'A'), 64);
      expect(meanAbsDifference(day64, renderScene(seed, 32, 'A'))).toBeLessThan(0.03);
      const night64 = halve(renderScene(seed, 64, 'B'), 64);
      expect(meanAbsDifference(night64, renderScene(seed, 32, 'B'))).toBeLessThan(0.15);
    }
  });

  it('rejects sizes below 8 and unknown domains', () => {
    expect(() => renderScene(0, 7, 'A')).toThrow(
      /renderScene: size expected an integer >= 8, received 7/,
    );
    expect(() => renderScene(0, 16.5, 'A')).toThrow(/received 16\.5/);
    expect(() => renderScene(0, 16, 'C' as 'A')).toThrow(/domain expected 'A' or 'B', received C/);
  });
});

describe('built-in datasets', () => {
  it('lists daynight and daynight-paired', () => {
    expect(Object.keys(BUILTIN_DATASETS).sort()).toEqual(['daynight', 'daynight-paired']);
    const dataset = createBuiltinDataset('daynight', 16);
    expect(dataset).toMatchObject({ name: 'daynight', size: 16, paired: false });
    expect(dataset.trainCount).toBeGreaterThan(0);
    expect(dataset.testCount).toBeGreaterThan(0);
    expect(dataset.trainImage('A', 0).length).toBe(16 * 16 * 3);
  });

  it('names the unknown dataset and the known ones', () => {
    expect(() => createBuiltinDataset('horse2zebra', 64)).toThrow(
      'unknown built-in dataset "horse2zebra"; known datasets: daynight, daynight-paired',
    );
    expect(() => createBuiltinDataset('toString', 64)).toThrow(
      /unknown built-in dataset "toString"/,
    );
  });

  it('is deterministic by dataset seed, and a different seed gives different images', () => {
    const a = createBuiltinDataset('daynight', 16, 3);
    const b = createBuiltinDataset('daynight', 16, 3);
    const c = createBuiltinDataset('daynight', 16, 4);
    expect(a.trainImage('B', 7)).toEqual(b.trainImage('B', 7));
    expect(a.testImage('A', 2)).toEqual(b.testImage('A', 2));
    expect(a.trainImage('A', 7)).not.toEqual(c.trainImage('A', 7));
  });

  it('unpaired: train A and B of one index show different scenes; test images have truths', () => {
    const size = 64;
    const dataset = createBuiltinDataset('daynight', size);
    const correlations = Array.from({ length: 10 }, (_, i) =>
      edgeCorrelation(dataset.trainImage('A', i), dataset.trainImage('B', i), size),
    );
    // Different scenes: bound as in the renderScene structure test.
    expect(average(correlations)).toBeLessThan(0.1);
    for (let i = 0; i < 3; i++) {
      const truth = dataset.testTruth('A', i);
      expect(edgeCorrelation(dataset.testImage('A', i), truth, size)).toBeGreaterThan(0.1);
      // Unpaired test sets, like CycleGAN's testA and testB, hold different scenes.
      expect(dataset.testTruth('B', i)).not.toEqual(dataset.testImage('A', i));
      expect(
        edgeCorrelation(dataset.testImage('B', i), dataset.testTruth('B', i), size),
      ).toBeGreaterThan(0.1);
    }
  });

  it('paired: train A and B of one index are day and night of one scene', () => {
    const size = 64;
    const dataset = createBuiltinDataset('daynight-paired', size);
    expect(dataset.paired).toBe(true);
    const correlations = Array.from({ length: 10 }, (_, i) =>
      edgeCorrelation(dataset.trainImage('A', i), dataset.trainImage('B', i), size),
    );
    expect(average(correlations)).toBeGreaterThan(0.25);
    expect(dataset.testTruth('A', 4)).toEqual(dataset.testImage('B', 4));
    expect(dataset.testTruth('B', 4)).toEqual(dataset.testImage('A', 4));
  });

  it('keeps test scenes apart from train scenes', () => {
    for (const name of ['daynight', 'daynight-paired']) {
      const dataset = createBuiltinDataset(name, 8);
      const train = Array.from({ length: dataset.trainCount }, (_, i) =>
        dataset.trainImage('A', i),
      );
      for (let t = 0; t < dataset.testCount; t++) {
        const test = dataset.testImage('A', t);
        expect(train.some((image) => meanAbsDifference(image, test) === 0)).toBe(false);
      }
    }
  });

  it('rejects indices outside the split, naming method, range and value', () => {
    const dataset = createBuiltinDataset('daynight', 16);
    expect(() => dataset.trainImage('A', dataset.trainCount)).toThrow(
      `daynight.trainImage: index expected an integer in [0, ${dataset.trainCount}), received ${dataset.trainCount}`,
    );
    expect(() => dataset.testTruth('B', -1)).toThrow(/daynight\.testTruth: .* received -1/);
    expect(() => createBuiltinDataset('daynight', 4)).toThrow(
      /daynight: size expected an integer >= 8, received 4/,
    );
  });
});

describe('stackBatch', () => {
  it('stacks HWC images into one NHWC batch in order', () => {
    const images = [renderScene(0, 8, 'A'), renderScene(1, 8, 'B')];
    const batch = stackBatch(images, 8);
    expect(batch.shape).toEqual([2, 8, 8, 3]);
    expect(batch.data.subarray(0, 192)).toEqual(images[0]);
    expect(batch.data.subarray(192)).toEqual(images[1]);
    expect(stackBatch([new Float32Array(16)], 4, 1).shape).toEqual([1, 4, 4, 1]);
  });

  it('rejects an empty list and images of the wrong size', () => {
    expect(() => stackBatch([], 8)).toThrow(/at least one image/);
    expect(() => stackBatch([new Float32Array(192), new Float32Array(10)], 8)).toThrow(
      'stackBatch: image 1 expected 192 values (8x8x3), received 10',
    );
  });
});
