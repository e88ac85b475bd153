/**
 * The training worker's state: one trainer, a run loop that yields between steps (so pause and
 * stop arrive), samples and checkpoints sent as events, and the guard that pauses on a
 * non-finite loss. Plain TypeScript over tfjs, so Node tests drive it without a worker.
 */
import type { TF } from '../../nodes/kind';
import { selectBackend } from '../backends/select';
import { readCheckpoint, writeCheckpoint } from '../checkpoint';
import { compileGraph } from '../compile';
import { DataBatchSource, type DatasetResolver } from '../data/batches';
import { Trainer } from '../trainer';
import type {
  BackendChoice,
  BackendInfo,
  LoadRequest,
  LoadResult,
  RunOptions,
  RunState,
  SampleImage,
  TrainingApi,
  TrainingEvent,
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

export class TrainingSession implements TrainingApi {
  private trainer?: Trainer;
  private request?: LoadRequest;
  private listeners: ((event: TrainingEvent) => void)[] = [];
  private state: RunState = 'idle';
  private loop?: Promise<void>;
  private labels = new Map<string, string>();

  constructor(
    private readonly tf: TF,
    private readonly resolveDataset?: DatasetResolver,
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

  async load(request: LoadRequest): Promise<LoadResult> {
    await this.stop();
    const compiled = compileGraph(request.document, request.overrides ?? {});
    if (!compiled.ok) return { ok: false, problems: compiled.problems };
    this.trainer?.dispose();
    this.trainer = new Trainer(this.tf, compiled.program, {
      source: new DataBatchSource(this.resolveDataset),
      seed: request.seed ?? 0,
    });
    this.request = request;
    this.labels = new Map(request.document.nodes.map((n) => [n.id, n.label ?? n.id]));
    this.setState('idle');
    return {
      ok: true,
      losses: compiled.program.losses,
      previews: compiled.program.nodes.filter((n) => n.role === 'preview').map((n) => n.id),
      step: 0,
    };
  }

  async resume(bytes: Uint8Array): Promise<LoadResult> {
    const checkpoint = readCheckpoint(bytes);
    const loaded = await this.load({
      document: checkpoint.document,
      overrides: checkpoint.overrides,
    });
    if (!loaded.ok) return loaded;
    this.trainer!.loadState(checkpoint.state);
    this.setState('paused');
    return { ...loaded, step: checkpoint.state.step };
  }

  private requireTrainer(): Trainer {
    if (!this.trainer) throw new Error('no graph is loaded');
    return this.trainer;
  }

  async run(options: RunOptions = {}): Promise<void> {
    const trainer = this.requireTrainer();
    if (this.state === 'running') return this.loop;
    this.setState('running');
    this.loop = this.runLoop(trainer, options);
    return this.loop;
  }

  private async runLoop(trainer: Trainer, options: RunOptions): Promise<void> {
    const tf = this.tf;
    while (this.state === 'running') {
      if (options.until !== undefined && trainer.completedSteps >= options.until) {
        await this.pauseWithCheckpoint(trainer, `reached step ${options.until}`);
        return;
      }
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
      this.emit({
        type: 'step',
        step: result.step,
        losses: result.losses,
        stepMs: result.stepMs,
        memoryBytes: memory.numBytesInGPU ?? memory.numBytes,
        numTensors: memory.numTensors,
      });
      const bad = Object.entries(result.losses).find(([, v]) => !Number.isFinite(v));
      if (bad) {
        this.setState('paused', `loss "${bad[0]}" became ${bad[1]} at step ${result.step}`);
        return;
      }
      if (options.samplesEvery && result.step % options.samplesEvery === 0) {
        this.emit({ type: 'samples', step: result.step, samples: await this.samples() });
      }
      if (options.checkpointEvery && result.step % options.checkpointEvery === 0) {
        this.emit({ type: 'checkpoint', step: result.step, bytes: await this.checkpoint() });
      }
    }
  }

  private async pauseWithCheckpoint(trainer: Trainer, reason?: string): Promise<void> {
    this.setState('paused', reason);
    if (trainer.completedSteps > 0) {
      this.emit({
        type: 'checkpoint',
        step: trainer.completedSteps,
        bytes: await this.checkpoint(),
      });
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

  async step(count: number): Promise<void> {
    const trainer = this.requireTrainer();
    await this.pause();
    await this.run({ until: trainer.completedSteps + count, samplesEvery: count });
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
}
