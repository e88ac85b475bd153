/**
 * The training worker: tfjs lives here, never on the page's thread. The page talks to it through
 * comlink (see protocol.ts); checkpoints and datasets are kept in IndexedDB from here.
 */
import '../../withoutEval';
import { tf } from '../backends/tfjsParts';
import { expose } from 'comlink';
import { builtinResolver } from '../data/batches';
import { decodeImageInBrowser } from '../data/decodeBrowser';
import { loadMnistDigitsInBrowser } from '../data/mnistBrowser';
import { BrowserTrainingWorker } from './browserTrainingWorker';
import { keptDataset } from './checkpointStore';
import { TrainingSession } from './trainingSession';

const session = new TrainingSession(tf, builtinResolver, {
  decodeImage: decodeImageInBrowser,
  findDataset: (source) => keptDataset(source),
  loadMnistDigits: loadMnistDigitsInBrowser,
});
expose(new BrowserTrainingWorker(session));
