/**
 * Draws training batches for the data-source nodes: Dataset nodes from a two-domain image set
 * (built in, or a folder), Images nodes from its domain A (MNIST), Noise nodes from the
 * trainer's random stream. Every draw uses the
 * trainer's seeded random state, so a run is reproducible and a checkpoint resumes exactly.
 */
import { DatasetNode } from '../../nodes/Dataset';
import { ImagesNode } from '../../nodes/Images';
import { paramsOf } from '../../nodes/kind';
import { NoiseNode } from '../../nodes/Noise';
import type { ProgramNode } from '../program';
import type { BatchSource, HostTensor } from '../trainer';
import { createBuiltinDataset, imageCount, type TwoDomainDataset } from './builtin';
import { createMnistDataset } from './mnist';
import type { Random } from './random';

/** The dataset of a source with images of `size` x `size` (the Dataset node's load size). */
export type DatasetResolver = (source: string, size: number) => TwoDomainDataset;

/** Resolves `builtin:<name>`; other sources (folders) are added by the host that can read them. */
export function builtinResolver(source: string, size: number): TwoDomainDataset {
  const match = /^builtin:(.+)$/.exec(source);
  if (!match) {
    throw new Error(`unknown data source "${source}": expected builtin:<name> or a folder`);
  }
  if (match[1] === 'mnist') return createMnistDataset(size);
  return createBuiltinDataset(match[1]!, size);
}

/**
 * Serves datasets loaded ahead (folders: decoding is asynchronous, drawing a batch is not) by
 * source and size; every other source goes to `fallback`.
 */
export function preloadedResolver(
  loaded: readonly { source: string; dataset: TwoDomainDataset }[],
  fallback: DatasetResolver = builtinResolver,
): DatasetResolver {
  return (source, size) => {
    const ofSource = loaded.filter((l) => l.source === source);
    if (ofSource.length === 0) return fallback(source, size);
    const match = ofSource.find((l) => l.dataset.size === size);
    if (!match) {
      const sizes = ofSource.map((l) => `${l.dataset.size}x${l.dataset.size}`).join(', ');
      throw new Error(`${source} was loaded at ${sizes}, the Dataset node needs ${size}x${size}`);
    }
    return match.dataset;
  };
}

/** The params of a node of behavior 'dataset': a Dataset's, or an Images node's (never cropped). */
export function datasetParamsOf(node: ProgramNode) {
  return node.kind === ImagesNode.kind
    ? { ...paramsOf(ImagesNode, node), loadSize: null }
    : paramsOf(DatasetNode, node);
}

/** The side a Dataset node's images are loaded at, before cropping: loadSize, or size. */
export function loadSizeOf(node: ProgramNode): number {
  const { loadSize, size } = datasetParamsOf(node);
  return loadSize ?? size;
}

function toChannels(image: Float32Array, channels: number): Float32Array {
  if (channels === 3) return image;
  const gray = new Float32Array(image.length / 3);
  for (let i = 0; i < gray.length; i++) {
    gray[i] = (image[3 * i]! + image[3 * i + 1]! + image[3 * i + 2]!) / 3;
  }
  return gray;
}

interface Placement {
  /** Top-left corner of the crop in the loaded image. */
  x: number;
  y: number;
  flip: boolean;
}

/** The size x size crop at (x, y) of a load x load HWC image, mirrored left-right with `flip`. */
function cropAndFlip(
  image: Float32Array,
  load: number,
  size: number,
  channels: number,
  { x, y, flip }: Placement,
): Float32Array {
  const out = new Float32Array(size * size * channels);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const from = ((y + row) * load + x + col) * channels;
      const to = (row * size + (flip ? size - 1 - col : col)) * channels;
      for (let c = 0; c < channels; c++) out[to + c] = image[from + c]!;
    }
  }
  return out;
}

export class DataBatchSource implements BatchSource {
  private readonly datasets = new Map<string, TwoDomainDataset>();

  constructor(
    private readonly resolve: DatasetResolver = builtinResolver,
    /** Replaces every Dataset node's source (the command line's --data). */
    private readonly sourceOverride?: string,
  ) {}

  private dataset(node: ProgramNode): TwoDomainDataset {
    const source = this.sourceOverride ?? datasetParamsOf(node).source;
    const size = loadSizeOf(node);
    const key = `${source}@${size}`;
    let dataset = this.datasets.get(key);
    if (!dataset) this.datasets.set(key, (dataset = this.resolve(source, size)));
    return dataset;
  }

  next(node: ProgramNode, random: Random): Record<string, HostTensor> {
    if (node.behavior === 'noise') return { out: this.noise(node, random) };
    const dataset = this.dataset(node);
    const { size, channels, batchSize, flip } = datasetParamsOf(node);
    const load = dataset.size;
    if (load < size) {
      throw new Error(
        `${dataset.name}: images of ${load}x${load} cannot be cropped to ${size}x${size}`,
      );
    }
    const domain = (d: 'A' | 'B', indices: number[], placements: Placement[]): HostTensor => {
      const data = new Float32Array(batchSize * size * size * channels);
      indices.forEach((index, i) => {
        const image = toChannels(dataset.trainImage(d, index), channels);
        data.set(
          cropAndFlip(image, load, size, channels, placements[i]!),
          i * size * size * channels,
        );
      });
      return { data, shape: [batchSize, size, size, channels] };
    };
    const pick = (d: 'A' | 'B') => {
      const count = imageCount(dataset, 'train', d);
      return Array.from({ length: batchSize }, () => random.int(count));
    };
    // The reference draws a crop corner in [0, load - size] and a coin for the flip per image.
    // Without a crop no corner is drawn, so runs without one keep their random stream.
    const place = (): Placement[] => {
      const corners = Array.from({ length: batchSize }, () =>
        load > size
          ? { x: random.int(load - size + 1), y: random.int(load - size + 1) }
          : { x: 0, y: 0 },
      );
      return corners.map((corner) => ({ ...corner, flip: flip && random.next() < 0.5 }));
    };
    const a = pick('A');
    const placeA = place();
    // An Images node is one stream: domain A.
    if (node.kind === ImagesNode.kind) return { real: domain('A', a, placeA) };
    // Paired data (pix2pix) keeps A and B of one scene together, cropped and flipped alike;
    // unpaired draws B on its own.
    const [b, placeB] = dataset.paired ? [a, placeA] : [pick('B'), place()];
    return { real_A: domain('A', a, placeA), real_B: domain('B', b, placeB) };
  }

  private noise(node: ProgramNode, random: Random): HostTensor {
    const { dim, batchSize, distribution } = paramsOf(NoiseNode, node);
    const data = new Float32Array(batchSize * dim);
    for (let i = 0; i < data.length; i++) {
      data[i] = distribution === 'normal' ? random.normal() : random.next() * 2 - 1;
    }
    return { data, shape: [batchSize, dim] };
  }
}
