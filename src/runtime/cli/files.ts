import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseDocument, type GraphDocument } from '../../graph/document';
import { formatProblem } from '../../graph/problems';
import { CheckpointError, readCheckpoint, type Checkpoint } from '../checkpoint';
import { unzipEntries, type DataFileEntry } from '../data/folder';
import { readSafeTensors, SafeTensorsError, type SafeTensorsFile } from '../safetensors';
import { UsageError } from './errors';

function readBytes(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message;
    throw new UsageError(`cannot read ${what} ${file}: ${reason}`);
  }
}

export function readGraphFile(file: string): string {
  return readBytes(file, 'graph').toString('utf8');
}

/** The graph file parsed (migrated to the current version); a problem is one line naming it. */
export function readGraphDocument(file: string): GraphDocument {
  const parsed = parseDocument(readGraphFile(file));
  if (parsed.ok) return parsed.document;
  const more =
    parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more: run ganvas check)` : '';
  throw new UsageError(`${file}: ${formatProblem(parsed.problems[0]!)}${more}`);
}

export function readSafeTensorsFile(file: string, what: string): SafeTensorsFile {
  try {
    return readSafeTensors(readBytes(file, what));
  } catch (e) {
    if (e instanceof SafeTensorsError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

/** A checkpoint file read; a damaged or foreign file is one line saying why. */
export function readCheckpointFile(file: string): Checkpoint {
  try {
    return readCheckpoint(readBytes(file, 'checkpoint'));
  } catch (e) {
    if (e instanceof CheckpointError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}

export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every file under a folder, subfolders included, by its `/`-separated path inside it. */
export function folderEntries(folder: string): DataFileEntry[] {
  let paths: string[];
  try {
    paths = readdirSync(folder, { recursive: true, encoding: 'utf8' });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason =
      code === 'ENOENT'
        ? 'no such folder'
        : code === 'ENOTDIR'
          ? 'not a folder'
          : (e as Error).message;
    throw new UsageError(`cannot read folder ${folder}: ${reason}`);
  }
  return paths
    .filter((path) => {
      try {
        return statSync(join(folder, path)).isFile();
      } catch {
        return false;
      }
    })
    .sort()
    .map((path) => ({
      path: path.split(/[\\/]/).join('/'),
      bytes: async () => new Uint8Array(await readFile(join(folder, path))),
    }));
}

/**
 * The files of a dataset given on the command line: a folder, or a .zip of one. A user's mistake
 * (no such path, not a zip) is a UsageError.
 */
export function datasetEntries(path: string, flag: string): DataFileEntry[] {
  if (isFolder(path)) return folderEntries(path);
  const expected = `expected builtin:<name>, a folder with trainA/ and trainB/, or a .zip of one`;
  if (!exists(path))
    throw new UsageError(`${flag}: ${expected}, received "${path}" (no such file or folder)`);
  if (!/\.zip$/i.test(path))
    throw new UsageError(`${flag}: ${expected}, received the file "${path}"`);
  try {
    return unzipEntries(readBytes(path, 'zip'));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${path}: not a readable zip (${(e as Error).message})`);
  }
}

/** The name a dataset path is shown by: its last part (`horse2zebra`, `photos.zip`). */
export function datasetName(path: string): string {
  return basename(path.replace(/[\\/]+$/, '')) || path;
}

/**
 * Writes through a temporary file renamed over the target, so that a crash mid-write leaves the
 * previous file whole: a checkpoint is what a long run's progress lives in.
 */
export function writeFileAtomically(file: string, bytes: Uint8Array): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, file);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

export function writeOutputFile(file: string, bytes: Uint8Array): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}
