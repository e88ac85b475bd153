/**
 * Run files written and read, and checkpoints read, off the page's thread: a run exported with
 * its checkpoint is hundreds of megabytes of JSON, which would hold the page for seconds to write
 * or parse. What comes back is a Blob to download, or the record and the checkpoint's bytes,
 * transferred rather than copied. Kept runs and checkpoints are read from IndexedDB here.
 */
import '../../withoutEval';
import { expose, transfer } from 'comlink';
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import { checkpointOfFile } from '../training/checkpointFile';
import { keptCheckpoint } from '../../runtime/worker/checkpointStore';
import { importedRun, runFileText, type RunFileRead } from './runFile';
import { runStorage } from './runStore';

const api = {
  async importedRun(
    file: File,
    document: GraphDocument & { id: string },
    overrides: Record<string, VariableValue>,
  ): Promise<RunFileRead> {
    const read = await importedRun(file, document, overrides);
    return read.ok && read.checkpoint ? transfer(read, [read.checkpoint.buffer]) : read;
  },
  /** A kept run as a file, its checkpoint included when asked and kept; undefined if gone. */
  async runFile(id: string, withCheckpoint: boolean): Promise<Blob | undefined> {
    const record = await runStorage().get(id);
    if (!record) return undefined;
    const kept =
      withCheckpoint && record.checkpoint ? await keptCheckpoint(record.documentId) : undefined;
    return new Blob([runFileText(record, kept?.bytes)], { type: 'application/json' });
  },
  async checkpointOfFile(file: File): ReturnType<typeof checkpointOfFile> {
    const read = await checkpointOfFile(file);
    return read.ok ? transfer(read, [read.bytes.buffer]) : read;
  },
};

export type RunFileWorkerApi = typeof api;

expose(api);
