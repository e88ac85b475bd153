/**
 * Makes a graph's PyTorch project zip in a worker of its own
 * (src/runtime/export/pytorch/projectWorker.ts), so that the editor stays responsive while the
 * built-in data is rendered: a worker per export (inOwnWorker), since exports are rare and the
 * worker holds the whole zip.
 */
import { proxy } from 'comlink';
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import type { ImageProgress } from '../../runtime/export/pytorch/builtinData';
import type { ProjectWorkerApi } from '../../runtime/export/pytorch/projectWorker';
import { inOwnWorker } from '../ownWorker';

export async function pytorchProjectInWorker(
  document: GraphDocument,
  overrides: Readonly<Record<string, VariableValue>>,
  folder: string,
  onProgress: ImageProgress,
): Promise<Uint8Array> {
  return inOwnWorker<ProjectWorkerApi, Uint8Array>(
    'the export worker',
    () =>
      new Worker(new URL('../../runtime/export/pytorch/projectWorker.ts', import.meta.url), {
        type: 'module',
        name: 'ganvas-pytorch-export',
      }),
    (api) => api.projectZip(document, overrides, folder, proxy(onProgress)),
  );
}
