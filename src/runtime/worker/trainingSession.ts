/**
 * The training worker's state: one trainer, a run loop that yields between steps (so pause and
 * stop arrive), samples and checkpoints sent as events, the guard that pauses on a non-finite
 * loss, the datasets people bring, and what a trained generator is used for (translating an
 * image, exporting it). Plain TypeScript over tfjs, so Node tests drive it without a worker.
 */
import { createMnistDataset, type MnistDigits } from '../data/mnist';
import { strToU8, zipSync } from 'fflate';
import type { GraphDocument } from '../../graph/document';
import type { Problem } from '../../graph/problems';
import type { TF } from '../../nodes/kind';
import { selectBackend } from '../backends/select';
import { CheckpointError, readCheckpoint, writeCheckpoint } from '../checkpoint';
import { compileGraph } from '../compile';
import {
  builtinResolver,
  DataBatchSource,
  loadSizeOf,
  type DatasetResolver,
} from '../data/batches';
import type { TwoDomainDataset } from '../data/builtin';
import {
  ImageFolderError,
  loadImageFolder,
  readImageEntry,
  unzipEntries,
  type DataFileEntry,
  type ImageDecoder,
} from '../data/folder';
import { resizeToRgb } from '../data/imageResize';
import { exportGraphModel } from '../export/graphModel';
import { learningRateAt } from '../optimizers';
import type { TrainingProgram } from '../program';
import { Trainer } from '../trainer';
import type {
  BackendChoice,
  BackendInfo,
  DatasetFile,
  DatasetResult,
  ExportedModel,
  LoadRequest,
  LoadResult,
  LossRecord,
  NetworkInfo,
  RunOptions,
  RunState,
  SampleImage,
  TrainingApi,
  TrainingEvent,
  Translation,
} from './protocol';

/** [-1, 1] floats, NHWC, to the first image's RGBA bytes. */
export function toRgba(shape: readonly number[], data: Float32Array): SampleImage['rgba'] {
  const [, height, width, channels] = shape as [number, number, number, number];
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      const v = data[p * channels + (channels === 1 ? 0 : c)]!;
      rgba[p * 4 + c] = Math.round((v + 1) * 127.5);
    }
    rgba[p * 4 + 3] = 255;
  }
  return rgba;
}

export interface TrainingSessionOptions {
  /** Decodes PNG and JPEG files of datasets and of images to translate. */
  decodeImage?: ImageDecoder;
  /** Finds the files of a dataset source added in an earlier session (the browser keeps them). */
  findDataset?: (source: string) => Promise<{ name: string; files: DatasetFile[] } | undefined>;
  /** Fetches the MNIST digits where they cannot be read from disk (the browser). */
  loadMnistDigits?: () => Promise<MnistDigits>;
}

/**
 * Lets the event loop run: messages (Pause, Stop) arrive between steps. A step on the cpu
 * backend awaits only resolved promises, which never give the loop a turn. A MessageChannel
 * where there is no setImmediate (browsers): a nested setTimeout waits at least 4 ms.
 */
function nextTask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/** The refusal of a checkpoint, as the one problem of a load. */
function refused(message: string): LoadResult {
  return { ok: false, problems: [{ path: 'checkpoint', message }] };
}

function entriesOf(files: readonly DatasetFile[]): Promise<DataFileEntry[]> {
  return Promise.all(
    files.map(async ({ path, file }): Promise<DataFileEntry[]> => {
      const bytes = async () => new Uint8Array(await file.arrayBuffer());
      if (!path.toLowerCase().endsWith('.zip')) return [{ path, bytes }];
      // A dropped zip holds the folder; it is read whole (fflate needs it in memory anyway).
      return unzipEntries(await bytes());
    }),
  ).then((lists) => lists.flat());
}

interface Loaded {
  trainer: Trainer;
  request: LoadRequest;
  result: Extract<LoadResult, { ok: true }>;
}

export class TrainingSession implements TrainingApi {
  private trainer?: Trainer;
  private request?: LoadRequest;
  private listeners: ((event: TrainingEvent) => void)[] = [];
  private state: RunState = 'idle';
  private loop?: Promise<void>;
  private labels = new Map<string, string>();
  private history: LossRecord[] = [];
  private samplesStep = -1;
  private runOptions: RunOptions = {};
  /** Datasets people brought, by source: their files, and their decoded images by load size. */
  /** The MNIST digits, once fetched (browser). */
  private mnist?: MnistDigits;
  private readonly folders = new Map<
    string,
    { name: string; entries: DataFileEntry[]; decoded: Map<number, TwoDomainDataset> }
  >();

  constructor(
    private readonly tf: TF,
    private readonly resolveDataset: DatasetResolver = builtinResolver,
    private readonly options: TrainingSessionOptions = {},
  ) {}

  private emit(event: TrainingEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private setState(state: RunState, reason?: string): void {
    this.state = state;
    this.emit({
      type: 'state',
      state,
      step: this.trainer?.completedSteps ?? 0,
      ...(reason ? { reason } : {}),
    });
  }

  async subscribe(listener: (event: TrainingEvent) => void): Promise<void> {
    this.listeners.push(listener);
  }

  async selectBackend(choice: BackendChoice): Promise<BackendInfo> {
    const selection = await selectBackend(this.tf, choice, {
      onDeviceLost: (message) => {
        this.setState('stopped', message);
        this.emit({ type: 'error', message });
      },
    });
    return { requested: choice, ...selection };
  }

  /** Datasets decoded at the sizes the program's data nodes load at; problems for those missing. */
  private async prepareDatasets(
    document: GraphDocument,
    program: TrainingProgram,
  ): Promise<Problem[]> {
    const problems: Problem[] = [];
    for (const node of program.nodes) {
      const source = node.params.source;
      if (
        node.behavior === 'dataset' &&
        source === 'builtin:mnist' &&
        this.options.loadMnistDigits
      ) {
        try {
          this.mnist ??= await this.options.loadMnistDigits();
        } catch (e) {
          problems.push({
            path: `nodes[${document.nodes.findIndex((n) => n.id === node.id)}].params.source`,
            nodeId: node.id,
            message: `the MNIST digits could not be loaded: ${(e as Error).message}`,
          });
        }
      }
      if (
        node.behavior !== 'dataset' ||
        typeof source !== 'string' ||
        source.startsWith('builtin:')
      )
        continue;
      let folder = this.folders.get(source);
      if (!folder) {
        const found = await this.options.findDataset?.(source);
        if (found) {
          folder = { name: found.name, entries: await entriesOf(found.files), decoded: new Map() };
          this.folders.set(source, folder);
        }
      }
      const path = `nodes[${document.nodes.findIndex((n) => n.id === node.id)}].params.source`;
      if (!folder) {
        problems.push({
          path,
          nodeId: node.id,
          message: `the dataset "${source}" is not loaded here: drop its folder or zip again`,
        });
        continue;
      }
      const size = loadSizeOf(node);
      if (folder.decoded.has(size)) continue;
      try {
        folder.decoded.set(size, (await this.decodeFolder(source, folder, size)).dataset);
      } catch (e) {
        problems.push({ path, nodeId: node.id, message: (e as Error).message });
      }
    }
    return problems;
  }

  private decodeFolder(
    source: string,
    folder: { name: string; entries: DataFileEntry[] },
    loadSize: number,
  ) {
    const decode = this.options.decodeImage;
    if (!decode) throw new Error('this session cannot decode images: it was given no decoder');
    return loadImageFolder(folder.entries, {
      loadSize,
      decode,
      name: folder.name,
      onProgress: (done, total) => this.emit({ type: 'dataset-progress', source, done, total }),
    });
  }

  private datasetResolver(): DatasetResolver {
    return (source, size) => {
      if (source === 'builtin:mnist' && this.mnist) return createMnistDataset(size, this.mnist);
      return this.folders.get(source)?.decoded.get(size) ?? this.resolveDataset(source, size);
    };
  }

  /** Compiles a graph into a trainer of its own, leaving the session's trainer alone. */
  private async prepare(
    request: LoadRequest,
  ): Promise<Loaded | { ok: false; problems: Problem[] }> {
    const compiled = compileGraph(request.document, request.overrides ?? {});
    if (!compiled.ok) return { ok: false, problems: compiled.problems };
    const { program } = compiled;
    const missing = await this.prepareDatasets(request.document, program);
    if (missing.length > 0) return { ok: false, problems: missing };
    const trainer = new Trainer(this.tf, program, {
      source: new DataBatchSource(this.datasetResolver()),
      seed: request.seed ?? 0,
    });
    const doc = request.document;
    const labels: Record<string, string> = {};
    for (const n of doc.nodes) labels[n.id] = n.label ?? n.id;
    const networkLabels = new Map(doc.networks.map((n) => [n.id, n.label ?? n.id]));
    const networks: NetworkInfo[] = program.networks.map((net) => {
      const application = program.nodes.find(
        (n) => n.behavior === 'network' && n.params.network === net.id,
      );
      const from = application?.inputs.in?.[0];
      const shape = from && program.nodes.find((n) => n.id === from.node)?.outputShapes[from.port];
      return {
        id: net.id,
        role: net.role,
        label: networkLabels.get(net.id) ?? net.id,
        inputShape: [...(shape ?? [])],
      };
    });
    const lossNodes = new Map(program.nodes.map((n) => [n.id, n]));
    return {
      trainer,
      request,
      result: {
        ok: true,
        losses: program.losses,
        previews: program.nodes.filter((n) => n.behavior === 'preview').map((n) => n.id),
        step: 0,
        labels,
        optimizers: program.optimizers.map((o) => ({
          id: o.id,
          label: labels[o.id] ?? o.id,
          type: o.type,
          lr: o.lr,
          beta1: o.beta1,
          beta2: o.beta2,
          eps: o.eps,
          losses: o.losses,
          constantSteps: o.constantSteps,
          decaySteps: o.decaySteps,
          updates: o.updates,
        })),
        networks,
        lossTerms: program.losses.map((id) => ({
          id,
          label: labels[id] ?? id,
          type: String(lossNodes.get(id)?.params.type ?? ''),
          weight: Number(lossNodes.get(id)?.params.weight ?? 1),
        })),
        history: [],
      },
    };
  }

  private install(loaded: Loaded, history: LossRecord[]): Loaded['result'] {
    this.trainer?.dispose();
    this.trainer = loaded.trainer;
    this.request = loaded.request;
    this.labels = new Map(Object.entries(loaded.result.labels));
    this.history = history;
    this.samplesStep = -1;
    return { ...loaded.result, step: loaded.trainer.completedSteps, history };
  }

  async load(request: LoadRequest): Promise<LoadResult> {
    await this.stop();
    const loaded = await this.prepare(request);
    if (!('trainer' in loaded)) return loaded;
    const result = this.install(loaded, []);
    this.setState('idle');
    return result;
  }

  async resume(
    bytes: Uint8Array,
    into?: LoadRequest,
    history: LossRecord[] = [],
  ): Promise<LoadResult> {
    let checkpoint;
    try {
      checkpoint = readCheckpoint(bytes);
    } catch (e) {
      if (e instanceof CheckpointError) return refused(e.message);
      throw e;
    }
    await this.pause();
    const loaded = await this.prepare(
      into ?? { document: checkpoint.document, overrides: checkpoint.overrides },
    );
    if (!('trainer' in loaded)) return loaded;
    try {
      loaded.trainer.loadState(checkpoint.state);
    } catch (e) {
      loaded.trainer.dispose();
      return refused(`this checkpoint is of another graph: ${(e as Error).message}`);
    }
    const step = checkpoint.state.step;
    const result = this.install(
      loaded,
      history.filter((r) => r.step <= step),
    );
    this.setState('paused');
    return result;
  }

  /**
   * Carries the trained state over to an edited graph (a new learning rate, loss weight,
   * anything that leaves the weights' shapes alone), paused at the same step. An edit the
   * state does not fit is refused with the reason, and training goes on with the old graph.
   */
  async continueWith(request: LoadRequest): Promise<LoadResult> {
    const trainer = this.requireTrainer();
    await this.pause();
    const loaded = await this.prepare(request);
    if (!('trainer' in loaded)) return loaded;
    try {
      loaded.trainer.loadState(await trainer.saveState());
    } catch (e) {
      loaded.trainer.dispose();
      return refused(`the trained weights do not fit the edited graph: ${(e as Error).message}`);
    }
    const result = this.install(loaded, this.history);
    this.setState(result.step > 0 ? 'paused' : 'idle');
    return result;
  }

  private requireTrainer(): Trainer {
    if (!this.trainer) throw new Error('no graph is loaded');
    return this.trainer;
  }

  async run(options: RunOptions = {}): Promise<void> {
    const trainer = this.requireTrainer();
    if (this.state === 'running') return this.loop;
    this.runOptions = options;
    this.setState('running');
    this.loop = this.runLoop(trainer, options);
    return this.loop;
  }

  private learningRates(trainer: Trainer, step: number): Record<string, number> {
    return Object.fromEntries(
      trainer.optimizers.map((o) => [o.spec.id, learningRateAt(o.spec, step)]),
    );
  }

  private async runLoop(trainer: Trainer, options: RunOptions): Promise<void> {
    const tf = this.tf;
    while (this.state === 'running') {
      await nextTask();
      if (this.state !== 'running') break;
      if (options.until !== undefined && trainer.completedSteps >= options.until) {
        await this.pauseWithCheckpoint(trainer, `reached step ${options.until}`);
        return;
      }
      const learningRates = this.learningRates(trainer, trainer.completedSteps);
      let result;
      try {
        result = await trainer.step();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        this.setState('paused', message);
        this.emit({ type: 'error', message });
        return;
      }
      const memory = tf.memory() as {
        numBytes: number;
        numBytesInGPU?: number;
        numTensors: number;
      };
      this.history.push({ step: result.step, losses: result.losses });
      this.emit({
        type: 'step',
        step: result.step,
        losses: result.losses,
        stepMs: result.stepMs,
        memoryBytes: memory.numBytesInGPU ?? memory.numBytes,
        numTensors: memory.numTensors,
        learningRates,
      });
      const bad = Object.entries(result.losses).find(([, v]) => !Number.isFinite(v));
      if (bad) {
        this.setState('paused', `loss "${bad[0]}" became ${bad[1]} at step ${result.step}`);
        return;
      }
      if (options.samplesEvery && result.step % options.samplesEvery === 0) {
        await this.sendSamples(result.step);
      }
      if (options.checkpointEvery && result.step % options.checkpointEvery === 0) {
        this.emit({ type: 'checkpoint', step: result.step, bytes: await this.checkpoint() });
      }
    }
  }

  private async sendSamples(step: number): Promise<void> {
    this.samplesStep = step;
    this.emit({ type: 'samples', step, samples: await this.samples() });
  }

  private async pauseWithCheckpoint(trainer: Trainer, reason?: string): Promise<void> {
    const step = trainer.completedSteps;
    // The samples of the step it stopped at, unless they went out already.
    if (this.runOptions.samplesEvery && step > 0 && this.samplesStep !== step) {
      await this.sendSamples(step);
    }
    this.setState('paused', reason);
    if (step > 0) {
      this.emit({ type: 'checkpoint', step, bytes: await this.checkpoint() });
    }
  }

  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'paused';
    await this.loop;
    await this.pauseWithCheckpoint(this.requireTrainer());
  }

  async stop(): Promise<void> {
    if (this.state === 'running') {
      this.state = 'stopped';
      await this.loop;
    }
    if (this.trainer) this.setState('stopped');
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
    return writeCheckpoint({
      document: this.request!.document,
      overrides: this.request!.overrides ?? {},
      state: await trainer.saveState(),
      savedAt: new Date().toISOString(),
    });
  }

  /** The losses of every step since the graph was loaded (with a resumed run's before). */
  lossHistory(): LossRecord[] {
    return this.history;
  }

  async samples(): Promise<SampleImage[]> {
    const images = await this.requireTrainer().previewImages();
    return [...images].map(([id, t]) => ({
      id,
      label: this.labels.get(id) ?? id,
      height: t.shape[1]!,
      width: t.shape[2]!,
      rgba: toRgba(t.shape, t.data),
    }));
  }

  async addDataset(
    source: string,
    name: string,
    files: DatasetFile[],
    loadSize: number,
  ): Promise<DatasetResult> {
    let entries: DataFileEntry[];
    try {
      entries = await entriesOf(files);
    } catch (e) {
      return { ok: false, source, message: `${name}: not a zip archive (${(e as Error).message})` };
    }
    const folder = { name, entries, decoded: new Map<number, TwoDomainDataset>() };
    try {
      const { dataset, report } = await this.decodeFolder(source, folder, loadSize);
      folder.decoded.set(loadSize, dataset);
      this.folders.set(source, folder);
      return { ok: true, source, name, loadSize, report };
    } catch (e) {
      const report = e instanceof ImageFolderError ? { report: e.report } : {};
      return { ok: false, source, message: (e as Error).message, ...report };
    }
  }

  async translate(networkId: string, image: Blob): Promise<Translation> {
    const tf = this.tf;
    const trainer = this.requireTrainer();
    const net = trainer.program.networks.find((n) => n.id === networkId);
    const decode = this.options.decodeImage;
    if (!net) throw new Error(`no network "${networkId}" in the trained graph`);
    if (!decode) throw new Error('this session cannot decode images: it was given no decoder');
    const read = await readImageEntry(
      { path: 'image', bytes: async () => new Uint8Array(await image.arrayBuffer()) },
      decode,
    );
    if (!read.ok) throw new Error(`the image cannot be read: ${read.reason}`);
    const application = trainer.program.nodes.find(
      (n) => n.behavior === 'network' && n.params.network === networkId,
    );
    const from = application?.inputs.in?.[0];
    const shape =
      from && trainer.program.nodes.find((n) => n.id === from.node)?.outputShapes[from.port];
    if (!shape || shape.length !== 4) {
      throw new Error(`network "${networkId}" does not take images`);
    }
    const [, height, width, channels] = shape as [number, number, number, number];
    const rgb = resizeToRgb(read.image, width, height);
    const inputValues = new Float32Array(height * width * channels);
    for (let p = 0; p < height * width; p++) {
      for (let c = 0; c < channels; c++) {
        const v =
          channels === 1 ? (rgb[p * 3]! + rgb[p * 3 + 1]! + rgb[p * 3 + 2]!) / 3 : rgb[p * 3 + c]!;
        inputValues[p * channels + c] = v / 127.5 - 1;
      }
    }
    const inputShape = [1, height, width, channels];
    const output = tf.tidy(() =>
      trainer.runNetwork(networkId, tf.tensor(inputValues, inputShape), false),
    );
    const outputValues = (await output.data()) as Float32Array;
    const outputShape = [...output.shape];
    output.dispose();
    if (outputShape.length !== 4) throw new Error(`network "${networkId}" does not give images`);
    return {
      networkId,
      input: { id: 'input', label: 'input', width, height, rgba: toRgba(inputShape, inputValues) },
      output: {
        id: 'output',
        label: `${networkId}(input)`,
        width: outputShape[2]!,
        height: outputShape[1]!,
        rgba: toRgba(outputShape, outputValues),
      },
      inputValues,
      outputValues,
      shape: outputShape,
    };
  }

  async exportNetwork(networkId: string): Promise<ExportedModel> {
    const exported = await exportGraphModel(this.requireTrainer(), networkId);
    const modelJson = exported.files['model.json'];
    const weights = exported.files['weights.bin'];
    // Stored, not deflated: weights barely compress, and the zip is only a way to hand over two files.
    const zip = zipSync({ 'model.json': strToU8(modelJson), 'weights.bin': weights }, { level: 0 });
    return { networkId, zip, modelJson, weights };
  }
}
