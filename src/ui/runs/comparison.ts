/**
 * What Compare shows, as data: the curves of two or more runs matched by kind and name (each
 * shared curve one chart, one line per run), the curves only some runs have, listed apart, and
 * the samples each run has nearest a chosen step.
 */
import { describeChange, diffGraphs } from '../../graph/diff';
import { latestGraph, type RunRecord, type RunSamples } from './runRecord';

export interface Overlay {
  key: string;
  label: string;
  /** Steps (the union of the runs'), then one row of values per run, null where it has none. */
  data: (number | null)[][];
}

/** Curves every compared run has, overlaid; the rest, by run. */
export function overlays(runs: readonly RunRecord[]): {
  shared: Overlay[];
  apart: { run: RunRecord; labels: string[] }[];
} {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.series)))];
  const shared: Overlay[] = [];
  const sharedKeys = new Set<string>();
  for (const key of keys) {
    const having = runs.filter((r) => r.series[key]);
    if (having.length < 2) continue;
    sharedKeys.add(key);
    const steps = [...new Set(having.flatMap((r) => r.series[key]!.points.map(([s]) => s)))].sort(
      (a, b) => a - b,
    );
    const rows = runs.map((r) => {
      const byStep = new Map(r.series[key]?.points ?? []);
      return steps.map((s) => byStep.get(s) ?? null);
    });
    const series = having[0]!.series[key]!;
    shared.push({ key, label: series.name, data: [steps, ...rows] });
  }
  const apart = runs
    .map((run) => ({
      run,
      labels: Object.entries(run.series)
        .filter(([key]) => !sharedKeys.has(key))
        .map(([, s]) => s.label),
    }))
    .filter((a) => a.labels.length > 0);
  return { shared, apart };
}

/** The run's samples at the step nearest `step`. */
export function samplesNear(run: RunRecord, step: number): RunSamples | undefined {
  let best: RunSamples | undefined;
  for (const s of run.samples) {
    if (!best || Math.abs(s.step - step) < Math.abs(best.step - step)) best = s;
  }
  return best;
}

/** The differences of each run's graph from the first's, in words. */
export function graphDifferences(
  runs: readonly RunRecord[],
): { run: RunRecord; lines: string[] | null }[] {
  const [first, ...rest] = runs;
  const base = first && latestGraph(first);
  return rest.map((run) => {
    const graph = latestGraph(run);
    if (!base || !graph) return { run, lines: null };
    const lines = diffGraphs(
      { document: base, overrides: first.overrides },
      { document: graph, overrides: run.overrides },
    ).map(describeChange);
    return { run, lines };
  });
}
