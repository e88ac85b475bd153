/**
 * A run of training: the loop that steps the trainer and yields between steps (so that Pause and
 * Stop arrive), the samples and checkpoints it sends, the guard that pauses on a non-finite
 * loss, and the run's state with the reason it paused or stopped, as data.
 */
import type { TF } from '../../nodes/kind';
import { learningRateAt } from '../optimizers';
import type { QualityReport } from '../quality/qualityReport';
import type { Trainer } from '../trainer';
import type {
  LossRecord,
  RunOptions,
  RunReason,
  RunState,
  SampleImage,
  TrainingEvent,
} from './protocol';

/** What a run needs from the session that holds it. */
export interface RunHost {
  emit(event: TrainingEvent): void;
  /** The trainer loaded now, if any. */
  trainer(): Trainer | undefined;
  /** Keeps a step's losses in the run's history. */
  record(record: LossRecord): void;
  checkpoint(): Promise<Uint8Array>;
  samples(): Promise<SampleImage[]>;
  /** The run's quality on its held-out set now. */
  quality(): Promise<QualityReport>;
  /** Why the GPU device is gone, if it is: a step that failed may have failed for that. */
  deviceLost(): Promise<string | undefined>;
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

function learningRates(trainer: Trainer, step: number): Record<string, number> {
  return Object.fromEntries(
    trainer.optimizers.map((o) => [o.spec.id, learningRateAt(o.spec, step)]),
  );
}

export class TrainingRun {
  private current: RunState = 'idle';
  private loop?: Promise<void>;
  private options: RunOptions = {};
  /** The step whose samples went out last: a pause sends its step's unless they did. */
  private samplesStep = -1;
  /**
   * The step whose state went out as a checkpoint last, so that none goes out twice; or the
   * step whose losses were not finite, whose state must never replace a good checkpoint.
   */
  private checkpointStep = -1;
  /** A checkpoint was asked for (the page is being hidden): the loop sends one after its step. */
  private checkpointWanted = false;

  constructor(
    private readonly tf: TF,
    private readonly host: RunHost,
  ) {}

  get state(): RunState {
    return this.current;
  }

  /** Sets the state and tells the page, with the step the trainer is at and why, if not asked. */
  setState(state: RunState, reason?: RunReason): void {
    this.current = state;
    this.host.emit({
      type: 'state',
      state,
      step: this.host.trainer()?.completedSteps ?? 0,
      ...(reason ? { reason } : {}),
    });
  }

  /** Another trainer was loaded: none of its samples or checkpoints went out yet. */
  trainerChanged(): void {
    this.samplesStep = -1;
    this.checkpointStep = -1;
    this.checkpointWanted = false;
  }

  /**
   * Sends a checkpoint of the latest step, unless one went out: at once when paused, after the
   * step under way when running. For a page about to be hidden or closed, which cannot wait:
   * it resolves as soon as the request is taken. A stopped run was kept when it paused, and a
   * run whose device was lost has no state left to keep.
   */
  async checkpointNow(): Promise<void> {
    if (this.current === 'running') {
      this.checkpointWanted = true;
      return;
    }
    const trainer = this.host.trainer();
    if (this.current === 'paused' && trainer) await this.sendCheckpoint(trainer.completedSteps);
  }

  /** Trains until paused, stopped or `until`; a second call while running joins the first. */
  run(trainer: Trainer, options: RunOptions): Promise<void> {
    if (this.current === 'running' && this.loop) return this.loop;
    this.options = options;
    this.setState('running');
    this.loop = this.steps(trainer, options);
    return this.loop;
  }

  async pause(): Promise<void> {
    if (this.current !== 'running') return;
    this.current = 'paused';
    await this.loop;
    const trainer = this.host.trainer();
    if (trainer) await this.pauseWithCheckpoint(trainer);
  }

  async stop(): Promise<void> {
    if (this.current === 'running') {
      this.current = 'stopped';
      await this.loop;
    }
    if (this.host.trainer()) this.setState('stopped');
  }

  private async steps(trainer: Trainer, options: RunOptions): Promise<void> {
    while (this.current === 'running') {
      await nextTask();
      if (this.current !== 'running') break;
      if (options.until !== undefined && trainer.completedSteps >= options.until) {
        await this.pauseWithCheckpoint(trainer, {
          kind: 'target-reached',
          step: trainer.completedSteps,
        });
        return;
      }
      const rates = learningRates(trainer, trainer.completedSteps);
      let result;
      try {
        result = await trainer.step();
      } catch (e) {
        // Stopped meanwhile: the device was lost, which says more than the step that failed.
        if (this.current !== 'running') return;
        const lost = await this.host.deviceLost();
        if (lost !== undefined) {
          this.setState('stopped', { kind: 'device-lost', message: lost });
          return;
        }
        const message = e instanceof Error ? e.message : String(e);
        this.setState('paused', { kind: 'step-failed', step: trainer.completedSteps, message });
        return;
      }
      const memory = this.tf.memory() as {
        numBytes: number;
        numBytesInGPU?: number;
        numTensors: number;
      };
      this.host.record({ step: result.step, losses: result.losses });
      this.host.emit({
        type: 'step',
        step: result.step,
        losses: result.losses,
        stepMs: result.stepMs,
        memoryBytes: memory.numBytesInGPU ?? memory.numBytes,
        numTensors: memory.numTensors,
        learningRates: rates,
      });
      const bad = Object.entries(result.losses).find(([, v]) => !Number.isFinite(v));
      if (bad) {
        const [term, value] = bad;
        this.checkpointStep = result.step;
        this.setState('paused', { kind: 'nan', term, step: result.step, value });
        return;
      }
      if (options.samplesEvery && result.step % options.samplesEvery === 0) {
        await this.sendSamples(result.step);
      }
      if (options.qualityEvery && result.step % options.qualityEvery === 0) {
        this.host.emit({ type: 'quality', step: result.step, report: await this.host.quality() });
      }
      const due = options.checkpointEvery && result.step % options.checkpointEvery === 0;
      if (due || this.checkpointWanted) {
        this.checkpointWanted = false;
        await this.sendCheckpoint(result.step);
      }
    }
  }

  private async sendSamples(step: number): Promise<void> {
    this.samplesStep = step;
    this.host.emit({ type: 'samples', step, samples: await this.host.samples() });
  }

  private async pauseWithCheckpoint(trainer: Trainer, reason?: RunReason): Promise<void> {
    const step = trainer.completedSteps;
    // The samples of the step it stopped at, unless they went out already.
    if (this.options.samplesEvery && step > 0 && this.samplesStep !== step) {
      await this.sendSamples(step);
    }
    this.setState('paused', reason);
    await this.sendCheckpoint(step);
  }

  /** The trainer's state at `step` as a checkpoint, unless it went out already. */
  private async sendCheckpoint(step: number): Promise<void> {
    if (step === 0 || step === this.checkpointStep) return;
    this.checkpointStep = step;
    this.host.emit({ type: 'checkpoint', step, bytes: await this.host.checkpoint() });
  }
}
