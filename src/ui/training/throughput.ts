/**
 * Steps per second as the panel shows it: over the batches of steps that arrived in the last
 * seconds, so that it follows a change of speed without jumping at every batch.
 */

/** When batches of steps arrived: [time in ms, last step of the batch], oldest first. */
export interface Throughput {
  arrivals: readonly (readonly [number, number])[];
  stepsPerSecond: number | null;
}

const WINDOW_MS = 15_000;
const MAX_ARRIVALS = 30;

export const NO_THROUGHPUT: Throughput = { arrivals: [], stepsPerSecond: null };

/** The estimate after a batch ending at `step` arrived at `now` (ms). */
export function withArrival(throughput: Throughput, step: number, now: number): Throughput {
  const arrivals = [...throughput.arrivals, [now, step] as const]
    .filter(([at]) => now - at < WINDOW_MS)
    .slice(-MAX_ARRIVALS);
  const [first, firstStep] = arrivals[0]!;
  return {
    arrivals,
    stepsPerSecond:
      arrivals.length > 1 && now > first ? ((step - firstStep) * 1000) / (now - first) : null,
  };
}
