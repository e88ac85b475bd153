/**
 * `ganvas export pytorch <graph.json> --out <folder>`: the graph as a PyTorch project, with the
 * built-in datasets it trains on as image folders.
 */
import { join } from 'node:path';
import { builtinDataFiles } from '../export/pytorch/builtinData';
import { ExportRefusal, exportPyTorchProject } from '../export/pytorch/project';
import { UsageError } from './errors';
import { readGraphDocument, writeOutputFile } from './files';

/** Train images per domain of a built-in dataset written with the project. */
const BUILTIN_IMAGES = 1000;

export async function runExport(
  positionals: readonly string[],
  sets: Record<string, string>,
  options: { out?: string },
): Promise<number> {
  const [format, file, extra] = positionals;
  if (format !== 'pytorch') {
    throw new UsageError(
      `export: expected a format, "pytorch", received ${format === undefined ? 'none' : `"${format}"`}`,
    );
  }
  if (!file) throw new UsageError('export pytorch: expected a graph file');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (!options.out) throw new UsageError('export pytorch: expected --out <folder>');
  const document = readGraphDocument(file);
  let project;
  try {
    project = exportPyTorchProject(document, sets);
  } catch (e) {
    if (e instanceof ExportRefusal) throw new UsageError(`${file}: cannot export: ${e.message}`);
    throw e;
  }
  const data = builtinDataFiles(project.program, BUILTIN_IMAGES);
  for (const [path, contents] of [...project.files, ...data]) {
    const bytes = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
    writeOutputFile(join(options.out, path), bytes);
  }
  process.stderr.write(
    `wrote a PyTorch project to ${options.out} (${project.files.size} files${data.size ? `, ${data.size} images` : ''}): python ${join(options.out, 'train.py')} --help\n`,
  );
  return 0;
}
