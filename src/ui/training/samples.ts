/**
 * Samples as people look at them: rows of real, translated and reconstructed images per domain
 * (real_A, fake_B, rec_A; real_B, fake_A, rec_B, as CycleGAN shows them), and saved as one PNG
 * that carries its graph, so that dropping it on the canvas reopens that graph.
 */
import { serializeDocument, type GraphDocument } from '../../graph/document';
import { withVariableValues } from '../../graph/edits';
import { GRAPH_KEYWORD, withPngText } from '../../runtime/png';
import type { SampleImage } from '../../runtime/worker/protocol';

const ROWS = [
  ['real_A', 'fake_B', 'rec_A'],
  ['real_B', 'fake_A', 'rec_B'],
];

/** The name a sample answers to: its label, or its Preview node's id without `show_`. */
function sampleName(image: Pick<SampleImage, 'id' | 'label'>): string {
  return image.label !== image.id ? image.label : image.id.replace(/^show_/, '');
}

/**
 * Samples in rows: one per domain for the names CycleGAN uses, then the rest, three a row, in
 * the order they came.
 */
export function sampleRows<T extends Pick<SampleImage, 'id' | 'label'>>(
  images: readonly T[],
): T[][] {
  const left = [...images];
  const take = (name: string) => {
    const at = left.findIndex((i) => sampleName(i) === name);
    return at < 0 ? undefined : left.splice(at, 1)[0];
  };
  const rows: T[][] = ROWS.map((names) => names.flatMap((n) => take(n) ?? []));
  for (let i = 0; i < left.length; i += 3) rows.push(left.slice(i, i + 3));
  return rows.filter((row) => row.length > 0);
}

/** One image of a sample's batch, as a canvas draws it. */
export type BatchImage = Pick<SampleImage, 'width' | 'height' | 'rgba'>;

/** Every image of a sample's batch that the worker sent, the first first. */
export function batchOf(image: SampleImage): BatchImage[] {
  const { width, height } = image;
  return [image.rgba, ...(image.more ?? [])].map((rgba) => ({ width, height, rgba }));
}

/** The columns a batch's grid has: as square as it goes (8 → 3×3 with one short, 16 → 4×4). */
export function gridColumns(count: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(count)));
}

/** Samples of one step. */
export interface SampleSet {
  step: number;
  images: SampleImage[];
}

/**
 * How many earlier steps' samples a run keeps in memory for the slider, and how many bytes of
 * images at most: 50 steps of a CycleGAN's six previews at 64×64 are about 5 MB; at 256×256 the
 * byte bound keeps the latest ones.
 */
export const EARLIER_SAMPLES_KEPT = 50;
export const EARLIER_SAMPLE_BYTES = 48 * 1024 * 1024;

function bytesOf(set: SampleSet): number {
  return set.images.reduce(
    (sum, i) => sum + i.rgba.byteLength + (i.more ?? []).reduce((m, r) => m + r.byteLength, 0),
    0,
  );
}

/** The earlier samples with `previous` added, the oldest dropped past either bound. */
export function withEarlierSamples(
  earlier: readonly SampleSet[],
  previous: SampleSet,
  kept = EARLIER_SAMPLES_KEPT,
  byteLimit = EARLIER_SAMPLE_BYTES,
): SampleSet[] {
  const sets = [...earlier, previous];
  let bytes = sets.reduce((sum, set) => sum + bytesOf(set), 0);
  let first = 0;
  while (first < sets.length && (sets.length - first > kept || bytes > byteLimit)) {
    bytes -= bytesOf(sets[first]!);
    first++;
  }
  return sets.slice(first);
}

/** The first document of a graph with its run's overrides written in: what made these samples. */
export function documentAsTrained(
  doc: GraphDocument,
  overrides: Readonly<Record<string, number | string | boolean>>,
): GraphDocument {
  return withVariableValues(doc, overrides);
}

const CELL = 128;
const GAP = 4;

/** The samples as one PNG, rows as sampleRows makes them, each image scaled to 128 pixels. */
export async function samplesPng(
  images: readonly SampleImage[],
  doc: GraphDocument,
): Promise<Blob> {
  const rows = sampleRows(images);
  const columns = Math.max(...rows.map((r) => r.length));
  const canvas = new OffscreenCanvas(
    columns * CELL + (columns + 1) * GAP,
    rows.length * CELL + (rows.length + 1) * GAP,
  );
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  // Nearest neighbour: a 32-pixel sample stays sharp pixels, as the grid shows it.
  context.imageSmoothingEnabled = false;
  for (const [r, row] of rows.entries()) {
    for (const [c, image] of row.entries()) {
      const bitmap = await createImageBitmap(
        new ImageData(new Uint8ClampedArray(image.rgba), image.width, image.height),
      );
      context.drawImage(bitmap, GAP + c * (CELL + GAP), GAP + r * (CELL + GAP), CELL, CELL);
      bitmap.close();
    }
  }
  const png = new Uint8Array(
    await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer(),
  );
  return new Blob([withPngText(png, GRAPH_KEYWORD, serializeDocument(doc)) as BlobPart], {
    type: 'image/png',
  });
}
