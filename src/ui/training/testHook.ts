/**
 * A read-only window onto training for browser tests and the console: the loss of every step,
 * the phase, the last translation's exact values. Nothing here changes anything.
 */
import { allRecords } from './runHistory';
import { keptForDocument, shownHistory, shownPhase, shownStep } from './trainingSelectors';
import type { TrainingStore } from './trainingStore';

export interface GanvasTestHook {
  /** The phase, step and losses of the document being edited (none while another trains). */
  phase(): string;
  step(): number;
  backend(): string | undefined;
  /** The step of the checkpoint kept in this browser for the document, once written. */
  keptStep(): number | undefined;
  /** Every step's losses since the run began (a resumed run's history included), oldest first. */
  losses(): { step: number; losses: Record<string, number> }[];
  /** The last translated image: input and output values (NHWC, [-1, 1]) and the output's shape. */
  translation(): { input: number[]; output: number[]; shape: number[] } | null;
}

export function installTestHook(store: TrainingStore): void {
  const hook: GanvasTestHook = {
    phase: () => shownPhase(store.getState()),
    step: () => shownStep(store.getState()),
    backend: () => store.getState().backend?.backend,
    keptStep: () => keptForDocument(store.getState())?.step,
    losses: () => allRecords(shownHistory(store.getState())),
    translation: () => {
      const t = store.getState().translation;
      return t && { input: [...t.inputValues], output: [...t.outputValues], shape: [...t.shape] };
    },
  };
  (globalThis as { __ganvas?: GanvasTestHook }).__ganvas = Object.freeze(hook);
}
