/**
 * The training session as the browser's worker offers it (BrowserTrainingApi): checkpoints the
 * run sends are kept per document in IndexedDB, from the worker, and reach the page as their
 * small info only; datasets people bring are kept there too, for after a reload.
 */
import { transfer } from 'comlink';
import {
  checkpointDatabase,
  datasetDatabase,
  keepCheckpoint,
  keepDataset,
  keptCheckpoint,
  keptCheckpointInfo,
  type KeyValueStore,
} from './checkpointStore';
import type {
  BackendChoice,
  BrowserTrainingApi,
  BrowserTrainingEvent,
  DatasetFile,
  LoadRequest,
  LoadResult,
  RunHistory,
  RunOptions,
  SavedCheckpointInfo,
  TrainingEvent,
} from './protocol';
import { historyUpTo } from './runHistory';
import type { TrainingSession } from './trainingSession';

/** What IndexedDB refused, with its name: a QuotaExceededError says the storage is full. */
function storageError(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const full = e.name === 'QuotaExceededError' ? "the browser's storage is full: " : '';
  return `${full}${e.name}: ${e.message}`;
}

export class BrowserTrainingWorker implements BrowserTrainingApi {
  private listener?: (event: BrowserTrainingEvent) => void;
  private backend = '';
  /** Writes one after the other, so that an older checkpoint never replaces a newer one. */
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: TrainingSession,
    private readonly checkpoints: KeyValueStore = checkpointDatabase(),
    private readonly datasets: KeyValueStore = datasetDatabase(),
  ) {
    void session.subscribe((event) => {
      if (event.type === 'checkpoint') this.keep(event);
      else this.listener?.(event);
    });
  }

  /** Called as the checkpoint is sent, while the session still trains the run it is of. */
  private keep(event: Extract<TrainingEvent, { type: 'checkpoint' }>): void {
    const run = this.session.trainedRun();
    if (!run) return;
    const info: SavedCheckpointInfo = {
      documentId: run.documentId,
      revision: run.revision,
      step: event.step,
      savedAt: new Date().toISOString(),
      bytes: event.bytes.byteLength,
      graphName: run.graphName,
      backend: this.backend,
    };
    const kept = { bytes: event.bytes, history: historyUpTo(run.history, event.step) };
    this.writes = this.writes.then(() =>
      keepCheckpoint(info, kept, this.checkpoints).then(
        () => this.listener?.({ type: 'checkpoint-saved', info }),
        (e: unknown) =>
          this.listener?.({
            type: 'checkpoint-failed',
            step: event.step,
            message: `The checkpoint of step ${event.step} could not be kept in this browser (${storageError(e)}). Training goes on; Download checkpoint keeps the run as a file.`,
          }),
      ),
    );
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
    return this.session.load(request);
  }

  resume(bytes: Uint8Array, into?: LoadRequest, history?: RunHistory) {
    return this.session.resume(bytes, into, history);
  }

  async resumeSaved(into: LoadRequest): Promise<LoadResult> {
    // Waits for a checkpoint still being written: it may be the one wanted.
    await this.writes;
    const kept = await keptCheckpoint(into.document.id, this.checkpoints);
    if (!kept) {
      const message = 'no checkpoint of this document is kept in this browser';
      return { ok: false, problems: [{ path: 'checkpoint', code: 'checkpoint-refused', message }] };
    }
    return this.session.resume(kept.bytes, into, kept.history);
  }

  async savedCheckpoint(documentId: string) {
    await this.writes;
    const kept = await keptCheckpoint(documentId, this.checkpoints);
    return kept ? transfer(kept.bytes, [kept.bytes.buffer]) : undefined;
  }

  async settled(documentId: string) {
    await this.writes;
    return keptCheckpointInfo(documentId, this.checkpoints);
  }

  continueWith(request: LoadRequest) {
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

  checkpointNow() {
    return this.session.checkpointNow();
  }

  samples() {
    return this.session.samples();
  }

  async addDataset(source: string, name: string, files: DatasetFile[], loadSize: number) {
    const result = await this.session.addDataset(source, name, files, loadSize);
    if (!result.ok) return result;
    // Kept for after a reload; a browser out of room still trains on it now, and says so.
    try {
      await keepDataset(source, { name, files }, this.datasets);
      return result;
    } catch (e) {
      return { ...result, notKept: storageError(e) };
    }
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
