/**
 * A run's losses on the page, segment by segment (one per program trained, see HistorySegment):
 * steps go into the segment of the program that trained them, so a rewired loss never relabels
 * the steps before the edit.
 */
import type {
  HistorySegment,
  LossRecord,
  LossTerm,
  RunHistory,
} from '../../runtime/worker/protocol';

export const NO_HISTORY: RunHistory = { segments: [] };

/** The step of the last record, 0 when none. */
export function lastRecordedStep(history: RunHistory): number {
  for (let i = history.segments.length - 1; i >= 0; i--) {
    const last = history.segments[i]!.records.at(-1);
    if (last) return last.step;
  }
  return 0;
}

/**
 * The history of a program just loaded at `start`: what the worker knows of it, ending in a
 * segment of this program (a new one when the program changed), which the next steps go into.
 */
export function historyForProgram(
  history: RunHistory,
  program: { revision: string; lossTerms: LossTerm[] },
  start: number,
): RunHistory {
  if (history.segments.at(-1)?.revision === program.revision) return history;
  // A program that trained no step (edited again before a step) leaves no segment behind.
  const segments = history.segments.filter(
    (s, i) => s.records.length > 0 || i < history.segments.length - 1,
  );
  if (segments.at(-1)?.revision === program.revision) return { segments };
  const segment: HistorySegment = {
    revision: program.revision,
    start,
    lossTerms: program.lossTerms,
    records: [],
  };
  return { segments: [...segments, segment] };
}

/**
 * The history with `records` added to its current segment; records of steps it already has
 * (events of before a load, arriving after it) are left out.
 */
export function withRecords(history: RunHistory, records: readonly LossRecord[]): RunHistory {
  const current = history.segments.at(-1);
  if (!current) return history;
  const after = lastRecordedStep(history);
  const fresh = records.filter((r) => r.step > after);
  if (fresh.length === 0) return history;
  return {
    segments: [
      ...history.segments.slice(0, -1),
      { ...current, records: [...current.records, ...fresh] },
    ],
  };
}

/** Every record, oldest first. */
export function allRecords(history: RunHistory): LossRecord[] {
  return history.segments.flatMap((s) => s.records);
}
