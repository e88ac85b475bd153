/**
 * Draws training batches for the data-source nodes: Dataset nodes from a two-domain image set
 * (built in, or a folder), Noise nodes from the trainer's random stream. Every draw uses the
 * trainer's seeded random state, so a run is reproducible and a checkpoint resumes exactly.
 */
import type { ProgramNode } from '../program';
import type { BatchSource, HostTensor } from '../trainer';
import { createBuiltinDataset, type TwoDomainDataset } from './builtin';
import type { Random } from './random';

export type DatasetResolver = (source: string, size: number) => TwoDomainDataset;

/** Resolves `builtin:<name>`; other sources (folders) are added by the host that can read them. */
export function builtinResolver(source: string, size: number): TwoDomainDataset {
  const match = /^builtin:(.+)$/.exec(source);
  if (!match) {
    throw new Error(`unknown data source "${source}": expected builtin:<name> or a folder`);
  }
  return createBuiltinDataset(match[1]!, size);
}

function toChannels(image: Float32Array, channels: number): Float32Array {
  if (channels === 3) return image;
  const gray = new Float32Array(image.length / 3);
  for (let i = 0; i < gray.length; i++) {
    gray[i] = (image[3 * i]! + image[3 * i + 1]! + image[3 * i + 2]!) / 3;
  }
  return gray;
}

function flipHorizontally(image: Float32Array, size: number, channels: number): Float32Array {
  const out = new Float32Array(image.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = (y * size + x) * channels;
      const to = (y * size + (size - 1 - x)) * channels;
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
    const source = this.sourceOverride ?? (node.params.source as string);
    const size = node.params.size as number;
    const key = `${source}@${size}`;
    let dataset = this.datasets.get(key);
    if (!dataset) this.datasets.set(key, (dataset = this.resolve(source, size)));
    return dataset;
  }

  next(node: ProgramNode, random: Random): Record<string, HostTensor> {
    if (node.role === 'noise') return { out: this.noise(node, random) };
    const dataset = this.dataset(node);
    const { size, channels, batchSize, flip } = node.params as {
      size: number;
      channels: number;
      batchSize: number;
      flip: boolean;
    };
    const domain = (d: 'A' | 'B', indices: number[], flips: boolean[]): HostTensor => {
      const data = new Float32Array(batchSize * size * size * channels);
      indices.forEach((index, i) => {
        let image = toChannels(dataset.trainImage(d, index), channels);
        if (flips[i]) image = flipHorizontally(image, size, channels);
        data.set(image, i * size * size * channels);
      });
      return { data, shape: [batchSize, size, size, channels] };
    };
    const pick = () => Array.from({ length: batchSize }, () => random.int(dataset.trainCount));
    const flips = () => Array.from({ length: batchSize }, () => flip && random.next() < 0.5);
    const a = pick();
    const flipA = flips();
    // Paired data (pix2pix) keeps A and B of one scene together, flipped alike; unpaired draws
    // B on its own.
    const [b, flipB] = dataset.paired ? [a, flipA] : [pick(), flips()];
    return { real_A: domain('A', a, flipA), real_B: domain('B', b, flipB) };
  }

  private noise(node: ProgramNode, random: Random): HostTensor {
    const { dim, batchSize, distribution } = node.params as {
      dim: number;
      batchSize: number;
      distribution: 'normal' | 'uniform';
    };
    const data = new Float32Array(batchSize * dim);
    for (let i = 0; i < data.length; i++) {
      data[i] = distribution === 'normal' ? random.normal() : random.next() * 2 - 1;
    }
    return { data, shape: [batchSize, dim] };
  }
}
