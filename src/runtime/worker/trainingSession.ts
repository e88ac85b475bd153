/**
 * The training worker's state: one trainer, the run that steps it, the run's history, and the
 * datasets and uses (translate, export) around it, composed from their own modules. Plain
 * TypeScript over tfjs, so Node tests drive it without a worker.
 */
import { DEFAULT_DEVICE_LIMITS } from '../../graph/budget';
import { withDocumentId } from '../../graph/document';
import type { TF } from '../../nodes/kind';
import { selectBackend } from '../backends/select';
import { CheckpointError, readCheckpoint, writeCheckpoint } from '../checkpoint';
import { compileGraph } from '../compile';
import { builtinResolver, DataBatchSource, type DatasetResolver } from '../data/batches';
import { Trainer } from '../trainer';
import { QualityProbe } from '../quality/qualityProbe';
import { exportNetwork } from './networkExport';
import { describeProgram, type ProgramDescription } from './programDescription';
import type {
  BackendChoice,
  BackendInfo,
  BufferLimits,
  DatasetFile,
  DatasetResult,
  ExportedModel,
  LoadRequest,
  LoadResult,
  RunHistory,
  RunOptions,
  SampleImage,
  TrainingApi,
  TrainingEvent,
  Translation,
} from './protocol';
import { continueHistory, copyHistory, historyUpTo, startHistory } from './runHistory';
import { previewSamples } from './sampleImages';
import { SessionDatasets, type DatasetSources } from './sessionDatasets';
import { TrainingRun } from './trainingRun';
import { translateImage } from './translation';

/** Where datasets come from, and the decoder that also reads images to translate. */
export type TrainingSessionOptions = Omit<DatasetSources, 'onProgress'>;

/** The run a session trains: whose document, which revision of it, and its losses so far. */
export interface TrainedRun {
  documentId: string;
  revision: string;
  graphName: string;
  history: RunHistory;
}

/** A graph compiled into a trainer of its own, not yet the session's. */
interface Prepared {
  trainer: Trainer;
  request: LoadRequest;
  description: ProgramDescription;
}

type Failed = Extract<LoadResult, { ok: false }>;

/**
 * Why the backend's GPU device is gone, if it is (a device is lost for good). Any reason counts,
 * `destroyed` included: nothing in the worker destroys its own device while it trains.
 */
const DEVICE_VERDICT_MS = 1000;

async function deviceLost(tf: TF): Promise<string | undefined> {
  const device = (
    tf.backend() as { device?: { lost?: Promise<{ reason?: string; message?: string }> } }
  ).device;
  if (!device?.lost) return undefined;
  // The device's verdict may come after the failure it caused; a step fails rarely, so waiting
  // a moment for it costs nothing.
  const settled = await Promise.race([
    device.lost,
    new Promise<undefined>((resolve) => setTimeout(resolve, DEVICE_VERDICT_MS)),
  ]);
  if (!settled) return undefined;
  return `WebGPU device lost (${settled.reason ?? 'unknown reason'}): ${settled.message || 'no message'}`;
}

/** The refusal of a checkpoint or of a carry-over, as the one problem of a load. */
function refused(message: string): Failed {
  return { ok: false, problems: [{ path: 'checkpoint', code: 'checkpoint-refused', message }] };
}

export class TrainingSession implements TrainingApi {
  private trainer?: Trainer;
  private loaded?: Omit<Prepared, 'trainer'>;
  private history: RunHistory = { segments: [] };
  private labels = new Map<string, string>();
  /** The WebGPU device's, when the backend is webgpu: what the largest tensor may be. */
  private bufferLimits?: BufferLimits;
  private readonly listeners: ((event: TrainingEvent) => void)[] = [];
  private readonly datasets: SessionDatasets;
  private readonly training: TrainingRun;
  /** Measures the trainer's quality; made at the first measurement, dropped with the trainer. */
  private qualityProbe?: QualityProbe;

  constructor(
    private readonly tf: TF,
    resolveDataset: DatasetResolver = builtinResolver,
    private readonly options: TrainingSessionOptions = {},
  ) {
    this.datasets = new SessionDatasets(resolveDataset, {
      ...options,
      onProgress: (source, done, total) =>
        this.emit({ type: 'dataset-progress', source, done, total }),
    });
    this.training = new TrainingRun(tf, {
      emit: (event) => this.emit(event),
      trainer: () => this.trainer,
      record: (record) => this.history.segments.at(-1)?.records.push(record),
      checkpoint: () => this.checkpoint(),
      samples: () => this.samples(),
      quality: () => {
        this.qualityProbe ??= new QualityProbe(this.requireTrainer(), this.datasets.resolver());
        return this.qualityProbe.measure();
      },
      deviceLost: () => deviceLost(tf),
    });
  }

  private emit(event: TrainingEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  async subscribe(listener: (event: TrainingEvent) => void): Promise<void> {
    this.listeners.push(listener);
  }

  async selectBackend(choice: BackendChoice): Promise<BackendInfo> {
    const selection = await selectBackend(this.tf, choice, {
      onDeviceLost: (message) =>
        this.training.setState('stopped', { kind: 'device-lost', message }),
    });
    this.bufferLimits = selection.backend === 'webgpu' ? webgpuBufferLimits(this.tf) : undefined;
    return {
      requested: choice,
      ...selection,
      ...(this.bufferLimits ? { bufferLimits: this.bufferLimits } : {}),
    };
  }

  /** The run trained now, if a graph is loaded: what a kept checkpoint of it is filed under. */
  trainedRun(): TrainedRun | undefined {
    if (!this.loaded) return undefined;
    const { description, request } = this.loaded;
    return {
      documentId: description.documentId,
      revision: description.revision,
      graphName: request.document.name,
      history: this.history,
    };
  }

  /** Compiles a graph into a trainer of its own, leaving the session's trainer alone. */
  private async prepare(request: LoadRequest): Promise<Prepared | Failed> {
    const compiled = compileGraph(request.document, request.overrides ?? {}, {
      ...DEFAULT_DEVICE_LIMITS,
      ...this.bufferLimits,
      memoryBytes: request.memoryBudget ?? DEFAULT_DEVICE_LIMITS.memoryBytes,
    });
    if (!compiled.ok) return { ok: false, problems: compiled.problems };
    const { program } = compiled;
    const missing = await this.datasets.prepare(request.document, program);
    if (missing.length > 0) return { ok: false, problems: missing };
    const trainer = new Trainer(this.tf, program, {
      source: new DataBatchSource(this.datasets.resolver()),
      seed: request.seed ?? 0,
    });
    return { trainer, request, description: describeProgram(request, program) };
  }

  private install({ trainer, ...loaded }: Prepared, history: RunHistory): LoadResult {
    this.trainer?.dispose();
    this.qualityProbe?.dispose();
    this.qualityProbe = undefined;
    this.trainer = trainer;
    this.loaded = loaded;
    this.labels = new Map(Object.entries(loaded.description.labels));
    this.history = history;
    this.training.trainerChanged();
    // A copy: the session goes on appending to its own.
    const copy = copyHistory(history);
    return { ok: true, ...loaded.description, step: trainer.completedSteps, history: copy };
  }

  async load(request: LoadRequest): Promise<LoadResult> {
    await this.stop();
    const prepared = await this.prepare(request);
    if (!('trainer' in prepared)) return prepared;
    const result = this.install(prepared, startHistory(prepared.description, 0));
    this.training.setState('idle');
    return result;
  }

  async resume(bytes: Uint8Array, into?: LoadRequest, history?: RunHistory): Promise<LoadResult> {
    let checkpoint;
    try {
      checkpoint = readCheckpoint(bytes);
    } catch (e) {
      if (e instanceof CheckpointError) return refused(e.message);
      throw e;
    }
    await this.pause();
    const prepared = await this.prepare(
      into ?? {
        document: withDocumentId(checkpoint.document),
        overrides: checkpoint.overrides,
      },
    );
    if (!('trainer' in prepared)) return prepared;
    try {
      prepared.trainer.loadState(checkpoint.state);
    } catch (e) {
      prepared.trainer.dispose();
      return refused(`this checkpoint is of another graph: ${(e as Error).message}`);
    }
    const step = checkpoint.state.step;
    const before = historyUpTo(history ?? { segments: [] }, step);
    const result = this.install(prepared, continueHistory(before, prepared.description, step));
    this.training.setState('paused');
    return result;
  }

  /**
   * Carries the trained state over to an edited graph of the same document (a new learning
   * rate, loss weight, anything that leaves the weights' shapes alone), paused at the same step.
   * An edit the state does not fit is refused with the reason, and training goes on with the
   * old graph; so is another document, whose graph this run never trained.
   */
  async continueWith(request: LoadRequest): Promise<LoadResult> {
    const trainer = this.requireTrainer();
    const documentId = this.loaded?.description.documentId;
    if (request.document.id !== documentId) {
      return refused(
        `the run in training belongs to another document ("${this.loaded?.request.document.name}"): load this one to train it`,
      );
    }
    await this.pause();
    const prepared = await this.prepare(request);
    if (!('trainer' in prepared)) return prepared;
    try {
      prepared.trainer.loadState(await trainer.saveState());
    } catch (e) {
      prepared.trainer.dispose();
      return refused(`the trained weights do not fit the edited graph: ${(e as Error).message}`);
    }
    const step = prepared.trainer.completedSteps;
    const result = this.install(
      prepared,
      continueHistory(this.history, prepared.description, step),
    );
    this.training.setState(step > 0 ? 'paused' : 'idle');
    return result;
  }

  private requireTrainer(): Trainer {
    if (!this.trainer) throw new Error('no graph is loaded');
    return this.trainer;
  }

  run(options: RunOptions = {}): Promise<void> {
    return this.training.run(this.requireTrainer(), options);
  }

  pause(): Promise<void> {
    return this.training.pause();
  }

  stop(): Promise<void> {
    return this.training.stop();
  }

  async step(count: number, options: RunOptions = {}): Promise<void> {
    const trainer = this.requireTrainer();
    await this.pause();
    await this.run({
      ...options,
      until: trainer.completedSteps + count,
      samplesEvery: options.samplesEvery ?? count,
    });
  }

  async checkpoint(): Promise<Uint8Array> {
    const trainer = this.requireTrainer();
    const { request } = this.loaded!;
    return writeCheckpoint({
      document: request.document,
      overrides: request.overrides ?? {},
      state: await trainer.saveState(),
      savedAt: new Date().toISOString(),
    });
  }

  checkpointNow(): Promise<void> {
    return this.training.checkpointNow();
  }

  samples(): Promise<SampleImage[]> {
    return previewSamples(this.requireTrainer(), this.labels);
  }

  addDataset(
    source: string,
    name: string,
    files: DatasetFile[],
    loadSize: number,
  ): Promise<DatasetResult> {
    return this.datasets.add(source, name, files, loadSize);
  }

  translate(networkId: string, image: Blob): Promise<Translation> {
    return translateImage(this.requireTrainer(), networkId, image, this.options.decodeImage);
  }

  exportNetwork(networkId: string): Promise<ExportedModel> {
    return exportNetwork(this.requireTrainer(), networkId);
  }
}

/** The WebGPU device's buffer limits, as the backend's device reports them. */
function webgpuBufferLimits(tf: TF): BufferLimits | undefined {
  const backend = tf.backend() as { device?: { limits?: Partial<BufferLimits> } };
  const limits = backend.device?.limits;
  if (!limits?.maxBufferSize || !limits.maxStorageBufferBindingSize) return undefined;
  return {
    maxBufferSize: limits.maxBufferSize,
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
  };
}
