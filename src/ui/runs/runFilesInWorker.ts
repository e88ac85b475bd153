/** The page's side of runFileWorker.ts: each read in a worker of its own (inOwnWorker). */
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import { inOwnWorker } from '../ownWorker';
import type { checkpointOfFile } from '../training/checkpointFile';
import type { RunFileRead } from './runFile';
import type { RunFileWorkerApi } from './runFileWorker';

const start = () =>
  new Worker(new URL('./runFileWorker.ts', import.meta.url), {
    type: 'module',
    name: 'ganvas-run-file',
  });

export function importRunInWorker(
  file: File,
  document: GraphDocument & { id: string },
  overrides: Record<string, VariableValue>,
): Promise<RunFileRead> {
  return inOwnWorker<RunFileWorkerApi, RunFileRead>('reading the file', start, (api) =>
    api.importedRun(file, document, overrides),
  );
}

export function runFileInWorker(id: string, withCheckpoint: boolean): Promise<Blob | undefined> {
  return inOwnWorker<RunFileWorkerApi, Blob | undefined>('writing the run file', start, (api) =>
    api.runFile(id, withCheckpoint),
  );
}

export function checkpointInWorker(file: File): ReturnType<typeof checkpointOfFile> {
  return inOwnWorker<RunFileWorkerApi, Awaited<ReturnType<typeof checkpointOfFile>>>(
    'reading the file',
    start,
    (api) => api.checkpointOfFile(file),
  );
}
