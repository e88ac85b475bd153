import { describe, expect, it } from 'vitest';
import { DatasetNode } from '../../src/nodes/Dataset';
import { createBuiltinDataset, type TwoDomainDataset } from '../../src/runtime/data/builtin';
import { DataBatchSource, preloadedResolver } from '../../src/runtime/data/batches';
import { createRandom } from '../../src/runtime/data/random';
import type { ProgramNode } from '../../src/runtime/program';

const LOAD = 8;

/**
 * Images whose pixels say where they are: channel 0 is x / 10, channel 1 is y / 10, channel 2 is
 * (index + 1) / 10, negative for domain B. Domain A has 2 train images, B has 5.
 */
function coordinates(): TwoDomainDataset {
  const image = (domain: 'A' | 'B', index: number, count: number) => {
    if (index >= count) throw new RangeError(`${domain} ${index} of ${count}`);
    const out = new Float32Array(LOAD * LOAD * 3);
    for (let y = 0; y < LOAD; y++) {
      for (let x = 0; x < LOAD; x++) {
        out.set(
          [x / 10, y / 10, ((domain === 'A' ? 1 : -1) * (index + 1)) / 10],
          (y * LOAD + x) * 3,
        );
      }
    }
    return out;
  };
  return {
    name: 'coordinates',
    description: '',
    size: LOAD,
    trainCount: 5,
    testCount: 0,
    domainCounts: { train: { A: 2, B: 5 }, test: { A: 0, B: 0 } },
    paired: false,
    trainImage: (domain, index) => image(domain, index, domain === 'A' ? 2 : 5),
    testImage: () => new Float32Array(),
  };
}

function datasetNode(params: Record<string, unknown>): ProgramNode {
  return {
    id: 'data',
    kind: 'Dataset',
    behavior: 'dataset',
    params: { source: 'coordinates', channels: 3, batchSize: 1, flip: false, ...params },
    inputs: {},
    outputShapes: {},
  };
}

const source = () =>
  new DataBatchSource(preloadedResolver([{ source: 'coordinates', dataset: coordinates() }]));

/** Per sample: the crop's corner, whether it is mirrored, and the image it came from. */
function placements(data: Float32Array, batch: number, size: number) {
  return Array.from({ length: batch }, (_, n) => {
    const at = (x: number, y: number, c: number) =>
      Math.round(data[((n * size + y) * size + x) * 3 + c]! * 10);
    const left = at(0, 0, 0);
    const right = at(size - 1, 0, 0);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        // A crop is a contiguous window, mirrored as a whole or not at all.
        expect(at(x, y, 0)).toBe(left < right ? left + x : left - x);
        expect(at(x, y, 1)).toBe(at(0, 0, 1) + y);
      }
    }
    return { x: Math.min(left, right), y: at(0, 0, 1), flip: left > right, image: at(0, 0, 2) };
  });
}

describe('Dataset batches: resize to loadSize, random crop to size, random flip', () => {
  it('crops size x size windows at random corners in [0, loadSize - size], flipped at random', () => {
    const node = datasetNode({ size: 4, loadSize: LOAD, batchSize: 16, flip: true });
    const batch = source().next(node, createRandom(3));
    expect(batch.real_A!.shape).toEqual([16, 4, 4, 3]);
    const a = placements(batch.real_A!.data, 16, 4);
    const b = placements(batch.real_B!.data, 16, 4);
    for (const p of [...a, ...b]) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(LOAD - 4);
      expect(p.y).toBeLessThanOrEqual(LOAD - 4);
    }
    expect(new Set(a.map((p) => p.x)).size).toBeGreaterThan(1);
    expect(new Set(a.map((p) => p.flip))).toEqual(new Set([true, false]));
    // Each domain draws from its own images: A has 2, B has 5.
    expect(new Set(a.map((p) => p.image))).toEqual(new Set([1, 2]));
    expect(Math.min(...b.map((p) => p.image))).toBeGreaterThanOrEqual(-5);
    expect(Math.max(...b.map((p) => p.image))).toBeLessThan(0);
  });

  it('draws from the random state alone: the same state gives the same batch', () => {
    const node = datasetNode({ size: 4, loadSize: LOAD, batchSize: 4, flip: true });
    const first = source().next(node, createRandom(9));
    const again = source().next(node, createRandom(9));
    expect(again.real_A!.data).toEqual(first.real_A!.data);
    expect(again.real_B!.data).toEqual(first.real_B!.data);
  });

  it('draws no crop corner without a crop, so runs without loadSize keep their random stream', () => {
    const node = datasetNode({ size: LOAD, loadSize: null, batchSize: 3 });
    const random = createRandom(5);
    const batch = source().next(node, random);
    // An image index per sample of each domain, nothing more.
    const expected = createRandom(5);
    for (let i = 0; i < 6; i++) expected.next();
    expect(random.state()).toBe(expected.state());
    expect(placements(batch.real_A!.data, 3, LOAD).every((p) => p.x === 0 && !p.flip)).toBe(true);
  });

  it('renders the built-in set at loadSize and crops it', () => {
    const node = {
      ...datasetNode({ size: 16, loadSize: 24 }),
      params: {
        source: 'builtin:daynight',
        size: 16,
        loadSize: 24,
        channels: 3,
        batchSize: 1,
        flip: false,
      },
    };
    const batch = new DataBatchSource().next(node, createRandom(2));
    // The draws, in order: image of A, its corner (x, y); then the same for B.
    const random = createRandom(2);
    const index = random.int(1000);
    const x = random.int(9);
    const y = random.int(9);
    const full = createBuiltinDataset('daynight', 24).trainImage('A', index);
    const crop = new Float32Array(16 * 16 * 3);
    for (let row = 0; row < 16; row++) {
      crop.set(
        full.subarray(((y + row) * 24 + x) * 3, ((y + row) * 24 + x + 16) * 3),
        row * 16 * 3,
      );
    }
    expect(batch.real_A!.data).toEqual(crop);
  });

  it('a loadSize smaller than size is a problem of the node', () => {
    const params = DatasetNode.params.parse({ size: 32, loadSize: 16 });
    const noNetworks = {
      applyNetwork: () => {
        throw new Error('no networks here');
      },
    };
    expect(() => DatasetNode.inferShapes({}, params, noNetworks)).toThrow(
      'loadSize: expected at least size (32) to crop from, received 16',
    );
    expect(DatasetNode.params.parse({ size: 32 }).loadSize).toBeNull();
  });
});
