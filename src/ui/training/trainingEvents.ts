/**
 * The worker's events as the panel takes them in: a pure reducer from the state and a batch of
 * events to the next state. Events are recognised by their data (a state's `reason.kind`), and
 * the panel words each reason itself.
 */
import type {
  BackendChoice,
  BrowserTrainingEvent,
  LossRecord,
  RunReason,
} from '../../runtime/worker/protocol';
import { withRecords } from './runHistory';
import { withEarlierSamples } from './samples';
import { withArrival } from './throughput';
import type { Run, TrainingNotice, TrainingState } from './trainingState';

/** The part of the panel's state that events change. */
export type EventView = Pick<
  TrainingState,
  'phase' | 'run' | 'kept' | 'notice' | 'failure' | 'datasets' | 'backend'
>;

const BACKEND_ORDER: BackendChoice[] = ['webgpu', 'webgl', 'cpu'];

/** The backend to fall back to after `backend` failed. */
export function nextBackend(backend: string | undefined): BackendChoice | null {
  const at = BACKEND_ORDER.indexOf(backend as BackendChoice);
  return at < 0 ? 'cpu' : (BACKEND_ORDER[at + 1] ?? null);
}

/** A loss term as the panel names it: its label in the program, else its id. */
function termName(run: Run | null, term: string): string {
  return run?.program.lossTerms.find((t) => t.id === term)?.label ?? term;
}

/**
 * What a pause says, if anything: reaching the target shows in the step count, a loss that
 * became NaN or a step that failed is news.
 */
export function pauseNotice(reason: RunReason, run: Run | null): TrainingNotice | null {
  switch (reason.kind) {
    case 'target-reached':
      return null;
    case 'nan':
      return {
        text: `Paused: loss "${termName(run, reason.term)}" became ${String(reason.value)} at step ${reason.step}`,
        tone: 'error',
      };
    case 'step-failed':
      return {
        text: `Paused at step ${reason.step}: the next step failed: ${reason.message}`,
        tone: 'error',
      };
    case 'device-lost':
      return { text: `Paused: the GPU device was lost: ${reason.message}`, tone: 'error' };
  }
}

/** Applies a batch of events, in order; `now` (ms) times the steps' arrival for the speed. */
export function applyTrainingEvents(
  view: EventView,
  events: readonly BrowserTrainingEvent[],
  now: number,
): EventView {
  let next = view;
  const records: LossRecord[] = [];
  const patchRun = (patch: Partial<Run>) => {
    if (next.run) next = { ...next, run: { ...next.run, ...patch } };
  };
  for (const e of events) {
    switch (e.type) {
      case 'step':
        records.push({ step: e.step, losses: e.losses });
        patchRun({
          step: e.step,
          memoryBytes: e.memoryBytes,
          numTensors: e.numTensors,
          learningRates: e.learningRates,
        });
        break;
      case 'samples': {
        const before = next.run?.samples;
        patchRun({
          samples: { step: e.step, images: e.samples },
          ...(before && before.step !== e.step
            ? { earlierSamples: withEarlierSamples(next.run?.earlierSamples ?? [], before) }
            : {}),
        });
        break;
      }
      case 'quality': {
        // A measurement of a step already shown (a resumed run) replaces what came after it.
        const kept = (next.run?.quality ?? []).filter((p) => p.step < e.step);
        patchRun({ quality: [...kept, { step: e.step, report: e.report }] });
        break;
      }
      case 'state':
        patchRun({ step: e.step });
        next = applyState(next, e.state, e.reason);
        break;
      case 'checkpoint-saved':
        next = { ...next, kept: { ...next.kept, [e.info.documentId]: e.info } };
        break;
      case 'checkpoint-failed':
        next = { ...next, notice: { text: e.message, tone: 'error' } };
        break;
      case 'dataset-progress':
        next = {
          ...next,
          datasets: next.datasets.map((d) =>
            d.source === e.source ? { ...d, progress: { done: e.done, total: e.total } } : d,
          ),
        };
        break;
    }
  }
  const run = next.run;
  if (run && records.length > 0) {
    patchRun({
      history: withRecords(run.history, records),
      throughput: withArrival(run.throughput, records.at(-1)!.step, now),
    });
  }
  return next;
}

function applyState(
  view: EventView,
  state: 'idle' | 'running' | 'paused' | 'stopped',
  reason: RunReason | undefined,
): EventView {
  switch (state) {
    case 'idle':
      return { ...view, phase: 'idle' };
    case 'running':
      return { ...view, phase: 'running' };
    case 'paused': {
      const notice = reason && pauseNotice(reason, view.run);
      return { ...view, phase: 'paused', ...(notice ? { notice } : {}) };
    }
    case 'stopped':
      if (reason?.kind !== 'device-lost') return { ...view, phase: 'stopped' };
      // The trainer is gone with the device: what is left is the kept checkpoint.
      return {
        ...view,
        phase: 'failed',
        run: view.run && { ...view.run, ready: false },
        failure: {
          message: `The GPU device was lost: ${reason.message}`,
          next: nextBackend(view.backend?.backend),
        },
      };
  }
}
