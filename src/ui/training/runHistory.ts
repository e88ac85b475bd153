/**
 * A run's losses as the page receives them: each step goes into the current segment (the one of
 * the program that trained it; see continueHistory for where a segment begins), so a rewired
 * loss never relabels the steps before the edit.
 */
import type { LossRecord, RunHistory } from '../../runtime/worker/protocol';

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
