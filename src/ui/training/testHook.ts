/**
 * A read-only window onto training for browser tests and the console: the loss of every step,
 * the phase, the last translation's exact values. Nothing here changes anything.
 */
import type { TrainingStore } from './trainingStore';

export interface GanvasTestHook {
  phase(): string;
  step(): number;
  backend(): string | undefined;
  /** The step of the checkpoint kept in this browser, once written. */
  keptStep(): number | undefined;
  /** Every step's losses since the run began (a resumed run's history included). */
  losses(): { step: number; losses: Record<string, number> }[];
  /** The last translated image: input and output values (NHWC, [-1, 1]) and the output's shape. */
  translation(): { input: number[]; output: number[]; shape: number[] } | null;
}

export function installTestHook(store: TrainingStore): void {
  const hook: GanvasTestHook = {
    phase: () => store.getState().phase,
    step: () => store.getState().step,
    backend: () => store.getState().backend?.backend,
    keptStep: () => store.getState().saved?.step,
    losses: () => {
      const { steps, values } = store.getState().history;
      return steps.map((step, i) => ({
        step,
        losses: Object.fromEntries([...values].map(([name, series]) => [name, series[i]!])),
      }));
    },
    translation: () => {
      const t = store.getState().translation;
      return t && { input: [...t.inputValues], output: [...t.outputValues], shape: [...t.shape] };
    },
  };
  (globalThis as { __ganvas?: GanvasTestHook }).__ganvas = Object.freeze(hook);
}
