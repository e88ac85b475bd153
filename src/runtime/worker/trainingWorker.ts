/**
 * The training worker: tfjs lives here, never on the page's thread. The page talks to it through
 * comlink (see protocol.ts). Checkpoints and datasets are kept in IndexedDB from here.
 */
import * as tf from '@tensorflow/tfjs';
import { expose, transfer } from 'comlink';
import { decodeImageInBrowser } from '../data/decodeBrowser';
import { builtinResolver } from '../data/batches';
import { loadMnistDigitsInBrowser } from '../data/mnistBrowser';
import {
  keepCheckpoint,
  keepDataset,
  keptCheckpoint,
  keptCheckpointInfo,
  keptDataset,
} from './checkpointStore';
import type {
  BackendChoice,
  BrowserTrainingApi,
  BrowserTrainingEvent,
  DatasetFile,
  LoadRequest,
  LoadResult,
  LossRecord,
  RunOptions,
} from './protocol';
import { TrainingSession } from './trainingSession';

class BrowserTrainingWorker implements BrowserTrainingApi {
  private readonly session = new TrainingSession(tf, builtinResolver, {
    decodeImage: decodeImageInBrowser,
    findDataset: keptDataset,
    loadMnistDigits: loadMnistDigitsInBrowser,
  });
  private listener?: (event: BrowserTrainingEvent) => void;
  private backend = '';
  private graphName = '';
  /** Writes one after the other, so that an older checkpoint never replaces a newer one. */
  private writes: Promise<void> = Promise.resolve();

  constructor() {
    void this.session.subscribe((event) => {
      if (event.type !== 'checkpoint') {
        this.listener?.(event);
        return;
      }
      const history = this.session.lossHistory().filter((r) => r.step <= event.step);
      const info = {
        step: event.step,
        savedAt: new Date().toISOString(),
        bytes: event.bytes.byteLength,
        graphName: this.graphName,
        backend: this.backend,
      };
      this.writes = this.writes.then(() =>
        keepCheckpoint(info, { bytes: event.bytes, history }).then(
          () => this.listener?.({ type: 'checkpoint-saved', info }),
          (e: unknown) =>
            this.listener?.({
              type: 'checkpoint-failed',
              step: event.step,
              message: `the checkpoint of step ${event.step} could not be kept in the browser: ${(e as Error).message}`,
            }),
        ),
      );
    });
  }

  async subscribe(listener: (event: BrowserTrainingEvent) => void): Promise<void> {
    this.listener = listener;
  }

  async selectBackend(choice: BackendChoice) {
    const info = await this.session.selectBackend(choice);
    this.backend = info.backend;
    return info;
  }

  load(request: LoadRequest) {
    this.graphName = request.document.name;
    return this.session.load(request);
  }

  resume(bytes: Uint8Array, into?: LoadRequest, history?: LossRecord[]) {
    return this.session.resume(bytes, into, history);
  }

  async resumeSaved(into: LoadRequest): Promise<LoadResult> {
    // Waits for a checkpoint still being written: it may be the one wanted.
    await this.writes;
    const kept = await keptCheckpoint();
    if (!kept)
      return {
        ok: false,
        problems: [{ path: 'checkpoint', message: 'no checkpoint is kept in this browser' }],
      };
    this.graphName = into.document.name;
    return this.session.resume(kept.bytes, into, kept.history);
  }

  async savedCheckpoint() {
    await this.writes;
    const kept = await keptCheckpoint();
    return kept ? transfer(kept.bytes, [kept.bytes.buffer]) : undefined;
  }

  async settled() {
    await this.writes;
    return keptCheckpointInfo();
  }

  continueWith(request: LoadRequest) {
    this.graphName = request.document.name;
    return this.session.continueWith(request);
  }

  run(options?: RunOptions) {
    return this.session.run(options);
  }

  pause() {
    return this.session.pause();
  }

  stop() {
    return this.session.stop();
  }

  step(count: number, options?: RunOptions) {
    return this.session.step(count, options);
  }

  async checkpoint() {
    const bytes = await this.session.checkpoint();
    return transfer(bytes, [bytes.buffer]);
  }

  samples() {
    return this.session.samples();
  }

  async addDataset(source: string, name: string, files: DatasetFile[], loadSize: number) {
    const result = await this.session.addDataset(source, name, files, loadSize);
    // Kept for after a reload; a browser out of room still trains on it now.
    if (result.ok) await keepDataset(source, { name, files }).catch(() => undefined);
    return result;
  }

  async translate(networkId: string, image: Blob) {
    const t = await this.session.translate(networkId, image);
    return transfer(t, [t.inputValues.buffer, t.outputValues.buffer]);
  }

  async exportNetwork(networkId: string) {
    const exported = await this.session.exportNetwork(networkId);
    return transfer(exported, [exported.zip.buffer]);
  }
}

expose(new BrowserTrainingWorker());
