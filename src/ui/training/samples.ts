/**
 * Samples as people look at them: rows of real, translated and reconstructed images per domain
 * (real_A, fake_B, rec_A; real_B, fake_A, rec_B, as CycleGAN shows them), and saved as one PNG
 * that carries its graph, so that dropping it on the canvas reopens that graph.
 */
import { serializeDocument, type GraphDocument } from '../../graph/document';
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

/** The first document of a graph with its run's overrides written in: what made these samples. */
export function documentAsTrained(
  doc: GraphDocument,
  overrides: Readonly<Record<string, number | string | boolean>>,
): GraphDocument {
  const variables = { ...doc.variables };
  for (const [name, value] of Object.entries(overrides)) {
    if (variables[name]) variables[name] = { ...variables[name], value };
  }
  return { ...doc, variables };
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
