/**
 * The PyTorch project of a graph as one zip, with the built-in data it trains on: what the
 * editor offers for download (made in a worker: projectWorker.ts). The files sit in one folder
 * named after the graph.
 */
import { zipSync } from 'fflate';
import type { GraphDocument } from '../../../graph/document';
import type { VariableValue } from '../../../graph/expression';
import type { DatasetResolver } from '../../data/batches';
import { builtinDataFiles, type ImageProgress } from './builtinData';
import { exportPyTorchProject } from './project';

/** Train images per domain of a built-in dataset in the zip, as `ganvas export` writes. */
export const ZIP_BUILTIN_IMAGES = 1000;

export function pytorchProjectZip(
  document: GraphDocument,
  overrides: Readonly<Record<string, VariableValue>>,
  folder: string,
  resolve?: DatasetResolver,
  onProgress?: ImageProgress,
): Uint8Array {
  const project = exportPyTorchProject(document, overrides);
  const data = builtinDataFiles(project.program, ZIP_BUILTIN_IMAGES, resolve, onProgress);
  const entries: Record<string, Uint8Array> = {};
  for (const [path, contents] of [...project.files, ...data]) {
    entries[`${folder}/${path}`] =
      typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
  }
  return zipSync(entries);
}
