/**
 * The built-in datasets a graph trains on (the day/night scenes, MNIST digits), written as image
 * folders for an exported project, so that it trains out of the box: `data/<name>/trainA/` and
 * `trainB/`, at the load size the graph asks for, as PNG files (the CycleGAN project's 2,000
 * scenes at 256×256 take 30 MB, where raw PPM files took 383 MB).
 */
import { imageCount } from '../../data/builtin';
import {
  builtinResolver,
  datasetParamsOf,
  loadSizeOf,
  type DatasetResolver,
} from '../../data/batches';
import { byteOfValue } from '../../pixels';
import { encodePng } from '../../png';
import type { TrainingProgram } from '../../program';

/** Where an exported project keeps a built-in dataset's images; null for a folder source. */
export function builtinFolder(source: string): string | null {
  const match = /^builtin:(.+)$/.exec(source);
  return match ? `data/${match[1]}` : null;
}

/** A PNG of a square image of values in [-1, 1], grey or RGB as its values say. */
function png(values: Float32Array, size: number): Uint8Array {
  const channels = values.length / (size * size);
  if (channels !== 1 && channels !== 3) {
    throw new Error(
      `a built-in image of ${values.length} values is not ${size}×${size} grey or RGB`,
    );
  }
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = byteOfValue(values[i]!);
  return encodePng(bytes, size, size, channels);
}

/** Images written so far of all to write: rendering and encoding them is most of an export. */
export type ImageProgress = (written: number, total: number) => void;

/**
 * The files of every built-in dataset the program's data nodes read, by path in the project: at
 * most `limit` train images per domain, at the largest load size a node asks for.
 */
export function builtinDataFiles(
  program: TrainingProgram,
  limit: number,
  resolve: DatasetResolver = builtinResolver,
  onProgress?: ImageProgress,
): Map<string, Uint8Array> {
  const sizes = new Map<string, { size: number; domains: Set<'A' | 'B'> }>();
  for (const node of program.nodes.filter((n) => n.behavior === 'dataset')) {
    const { source } = datasetParamsOf(node);
    if (!builtinFolder(source)) continue;
    const entry = sizes.get(source) ?? { size: 0, domains: new Set<'A' | 'B'>(['A']) };
    entry.size = Math.max(entry.size, loadSizeOf(node));
    if (node.kind !== 'Images') entry.domains.add('B');
    sizes.set(source, entry);
  }
  const plan = [...sizes].flatMap(([source, { size, domains }]) => {
    const dataset = resolve(source, size);
    return [...domains].map((domain) => ({
      source,
      size,
      dataset,
      domain,
      count: Math.min(limit, imageCount(dataset, 'train', domain)),
    }));
  });
  const total = plan.reduce((n, p) => n + p.count, 0);
  const files = new Map<string, Uint8Array>();
  for (const { source, size, dataset, domain, count } of plan) {
    const digits = String(count - 1).length;
    for (let i = 0; i < count; i++) {
      const name = String(i).padStart(digits, '0');
      files.set(
        `${builtinFolder(source)}/train${domain}/${name}.png`,
        png(dataset.trainImage(domain, i), size),
      );
      onProgress?.(files.size, total);
    }
  }
  return files;
}
