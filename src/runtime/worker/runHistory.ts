/**
 * A run's loss history in segments, one per program trained (see HistorySegment): where the
 * program changes mid-run, a new segment begins, so the steps before keep the loss names and
 * kinds they were computed with. Pure: each function returns a new history, never sharing a
 * records array with the one it was given (the session appends to the last segment's).
 */
import type { HistorySegment, LossTerm, RunHistory } from './protocol';

/** The program a segment records: its revision and its loss terms. */
export interface TrainedProgram {
  revision: string;
  lossTerms: LossTerm[];
}

/** A history with one empty segment beginning at `step`. */
export function startHistory(program: TrainedProgram, step: number): RunHistory {
  return { segments: [segmentOf(program, step)] };
}

/**
 * The history continued by `program` from `step` on: the last segment goes on when it trained
 * the same revision; otherwise a new segment begins at `step` (in place of a last segment that
 * begins there too, as it holds no step to label).
 */
export function continueHistory(
  history: RunHistory,
  program: TrainedProgram,
  step: number,
): RunHistory {
  const segments = history.segments.map(copySegment);
  const last = segments.at(-1);
  if (!last) return startHistory(program, step);
  if (last.revision === program.revision) return { segments };
  if (last.start === step && last.records.length === 0) segments.pop();
  return { segments: [...segments, segmentOf(program, step)] };
}

/** The history as it was when `step` steps were done: what a checkpoint of that step continues. */
export function historyUpTo(history: RunHistory, step: number): RunHistory {
  return {
    segments: history.segments
      .filter((s) => s.start <= step)
      .map((s) => ({ ...s, records: s.records.filter((r) => r.step <= step) })),
  };
}

/** A history of its own, to append to. */
export function copyHistory(history: RunHistory): RunHistory {
  return { segments: history.segments.map(copySegment) };
}

function segmentOf(program: TrainedProgram, start: number): HistorySegment {
  return { revision: program.revision, start, lossTerms: program.lossTerms, records: [] };
}

function copySegment(segment: HistorySegment): HistorySegment {
  return { ...segment, records: [...segment.records] };
}
