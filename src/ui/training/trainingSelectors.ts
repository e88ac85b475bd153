/**
 * What the panel shows, derived from the state: a run belongs to its document, so the panel
 * shows the run of the document being edited, or none. Each selector returns a value already in
 * the state (or a primitive), so that components re-render only when it changes.
 */
import type { RunHistory, SavedCheckpointInfo } from '../../runtime/worker/protocol';
import { NO_HISTORY } from './runHistory';
import type { Phase, Run, TrainingState } from './trainingState';

/** The run of the document being edited, if the worker holds (or held) it. */
export function shownRun(s: TrainingState): Run | null {
  return s.run !== null && s.run.program.documentId === s.documentId ? s.run : null;
}

/** The worker's phase for this document: another document's run is none of its business. */
export function shownPhase(s: TrainingState): Phase {
  if (s.phase === 'starting' || s.phase === 'loading' || s.phase === 'failed') return s.phase;
  return shownRun(s) ? s.phase : 'idle';
}

export function shownStep(s: TrainingState): number {
  return shownRun(s)?.step ?? 0;
}

export function shownHistory(s: TrainingState): RunHistory {
  return shownRun(s)?.history ?? NO_HISTORY;
}

/** Whether the worker holds a trainer of this document that has taken steps. */
export function trained(s: TrainingState): boolean {
  const run = shownRun(s);
  return run !== null && run.ready && run.step > 0;
}

/** Whether a run is training, whichever document it is of. */
export function isRunning(s: TrainingState): boolean {
  return s.phase === 'running' || s.phase === 'pausing';
}

/** The checkpoint kept in this browser for the document being edited. */
export function keptForDocument(s: TrainingState): SavedCheckpointInfo | null {
  return s.kept[s.documentId] ?? null;
}

/**
 * The kept checkpoint to offer to resume from: when the worker holds no trainer of this
 * document (after a reload, or after another graph trained) and is not busy loading one.
 */
export function resumeOffer(s: TrainingState): SavedCheckpointInfo | null {
  const run = shownRun(s);
  // After a crash, the failure note offers to go on (on another backend).
  if (run?.ready || s.phase === 'starting' || s.phase === 'loading' || s.phase === 'failed') {
    return null;
  }
  return keptForDocument(s);
}

/**
 * Whether leaving the page now would lose steps: the worker holds a run (of any document) that
 * is training, or has trained past the checkpoint kept for it.
 */
export function hasUnkeptSteps(s: TrainingState): boolean {
  if (!s.run?.ready) return false;
  if (isRunning(s)) return true;
  return s.run.step > (s.kept[s.run.program.documentId]?.step ?? 0);
}

/** The step another document's run is training at, while it trains in the background. */
export function otherRunStep(s: TrainingState): number | null {
  return s.run !== null && !shownRun(s) && isRunning(s) ? s.run.step : null;
}

/** Every kept checkpoint, the current document's first, then the latest first. */
export function keptCheckpoints(
  kept: TrainingState['kept'],
  documentId: string,
): SavedCheckpointInfo[] {
  return Object.values(kept).sort(
    (a, b) =>
      Number(b.documentId === documentId) - Number(a.documentId === documentId) ||
      b.savedAt.localeCompare(a.savedAt),
  );
}
