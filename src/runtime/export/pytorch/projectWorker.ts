/**
 * The PyTorch project zip, made off the page's thread: rendering and encoding the built-in data
 * takes seconds at 64×64 and half a minute at 256×256, which on the page would freeze the editor
 * (see src/ui/training/pytorchExport.ts, which starts it). The zip comes back transferred, not
 * copied; progress is reported per image.
 */
import '../../../withoutEval';
import { expose, transfer } from 'comlink';
import type { GraphDocument } from '../../../graph/document';
import type { VariableValue } from '../../../graph/expression';
import { builtinResolver } from '../../data/batches';
import { createMnistDataset } from '../../data/mnist';
import { loadMnistDigitsInBrowser } from '../../data/mnistBrowser';
import type { ImageProgress } from './builtinData';
import { pytorchProjectZip } from './projectZip';

const api = {
  async projectZip(
    document: GraphDocument,
    overrides: Readonly<Record<string, VariableValue>>,
    folder: string,
    onProgress?: ImageProgress,
  ): Promise<Uint8Array> {
    // MNIST's digits are a 20 MB download: fetched only for a graph that trains on them.
    const needsMnist = document.nodes.some((n) => n.params?.source === 'builtin:mnist');
    const digits = needsMnist ? await loadMnistDigitsInBrowser() : undefined;
    const zip = pytorchProjectZip(
      document,
      overrides,
      folder,
      (source, size) =>
        source === 'builtin:mnist' && digits
          ? createMnistDataset(size, digits)
          : builtinResolver(source, size),
      onProgress,
    );
    return transfer(zip, [zip.buffer]);
  },
};

export type ProjectWorkerApi = typeof api;

expose(api);
