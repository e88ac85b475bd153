/**
 * Makes a graph's PyTorch project zip in a worker of its own
 * (src/runtime/export/pytorch/projectWorker.ts), so that the editor stays responsive while the
 * built-in data is rendered: a worker per export, ended when it is done or fails, since exports
 * are rare and the worker holds the whole zip.
 */
import { proxy, wrap } from 'comlink';
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import type { ImageProgress } from '../../runtime/export/pytorch/builtinData';
import type { ProjectWorkerApi } from '../../runtime/export/pytorch/projectWorker';

export async function pytorchProjectInWorker(
  document: GraphDocument,
  overrides: Readonly<Record<string, VariableValue>>,
  folder: string,
  onProgress: ImageProgress,
): Promise<Uint8Array> {
  const worker = new Worker(
    new URL('../../runtime/export/pytorch/projectWorker.ts', import.meta.url),
    { type: 'module', name: 'ganvas-pytorch-export' },
  );
  // A worker that fails to load or throws outside a call would leave the call waiting forever.
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) =>
      reject(new Error(`the export worker failed: ${e.message || 'it did not start'}`)),
    );
  });
  try {
    const api = wrap<ProjectWorkerApi>(worker);
    return await Promise.race([
      api.projectZip(document, overrides, folder, proxy(onProgress)),
      failed,
    ]);
  } finally {
    worker.terminate();
  }
}
