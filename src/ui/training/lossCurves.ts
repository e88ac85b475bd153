/**
 * Loss curves as the charts draw them. A run's history comes in segments, one per program
 * trained; a term keeps one curve while its name and kind of loss stay, and gets a new one from
 * the segment where they changed ("cycle_A · L1" before a rewire, "cycle_A · L2" after), with a
 * mark at the step where the program changed. Each curve is smoothed by an exponential moving
 * average (debiased, as TensorBoard smooths, so the first points are not dragged towards zero),
 * then thinned to at most a few thousand points, which is all a chart's width can show.
 */
import type { HistorySegment, RunHistory } from '../../runtime/worker/protocol';

/** What each Loss type is called in a legend: "cycle_A · L1", "G_A · BCE". */
const LOSS_KINDS: Record<string, string> = {
  l1: 'L1',
  l2: 'L2',
  lsgan: 'LSGAN',
  vanilla: 'BCE',
  wgan: 'WGAN',
  hinge: 'hinge',
  ebgan: 'EBGAN',
  began: 'BEGAN',
  pullaway: 'pull-away',
};

/** A term's legend label: its name and, where known, the kind of loss it is. */
export function seriesLabel(label: string, type: string | undefined): string {
  const kind = type ? (LOSS_KINDS[type] ?? type) : undefined;
  return kind ? `${label} · ${kind}` : label;
}

/** The EMA of `values` with factor `alpha` (0: the values themselves); NaN and ±Infinity are gaps. */
export function smoothLosses(values: readonly number[], alpha: number): (number | null)[] {
  const out: (number | null)[] = new Array(values.length);
  let average = 0;
  let weight = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    average = alpha * average + (1 - alpha) * v;
    weight = alpha * weight + (1 - alpha);
    out[i] = average / weight;
  }
  return out;
}

/** One curve: a loss term under one legend label. */
export interface ChartSeries {
  term: string;
  label: string;
}

export type ChartData = [number[], ...(number | null)[][]];

export interface LossChartData {
  series: ChartSeries[];
  /** x (steps), then one smoothed column per series. */
  data: ChartData;
  /** Steps where the program changed: a new segment began. */
  marks: number[];
}

/** A term's label in a segment: as that program named and typed it. */
function labelIn(segment: HistorySegment, term: string, fallback: string): string {
  const t = segment.lossTerms.find((l) => l.id === term);
  return t ? seriesLabel(t.label, t.type) : fallback;
}

/**
 * The curves of `terms` (one optimizer's loss ids): per term, one curve per label it had, in
 * the order the terms come and the labels appeared. `fallback` names a term a segment does not
 * describe.
 */
export function chartSeries(
  history: RunHistory,
  terms: readonly string[],
  fallback: Readonly<Record<string, string>> = {},
): ChartSeries[] {
  const out: ChartSeries[] = [];
  for (const term of terms) {
    const labels = new Set<string>();
    for (const segment of history.segments) {
      if (segment.records.length === 0 && segment !== history.segments.at(-1)) continue;
      labels.add(labelIn(segment, term, fallback[term] ?? term));
    }
    if (labels.size === 0) labels.add(fallback[term] ?? term);
    for (const label of labels) out.push({ term, label });
  }
  return out;
}

/** The steps where the program changed, each once. */
export function programChanges(history: RunHistory): number[] {
  return [...new Set(history.segments.slice(1).map((s) => s.start))];
}

/** The chart of `series`: every `stride`-th point when there are too many, always the last. */
export function chartData(
  history: RunHistory,
  series: readonly ChartSeries[],
  alpha: number,
  maxPoints = 2000,
  fallback: Readonly<Record<string, string>> = {},
): LossChartData {
  const steps: number[] = [];
  const columns = series.map(() => [] as number[]);
  for (const segment of history.segments) {
    const labels = series.map((s) => labelIn(segment, s.term, fallback[s.term] ?? s.term));
    for (const record of segment.records) {
      steps.push(record.step);
      series.forEach((s, k) => {
        const value = labels[k] === s.label ? record.losses[s.term] : undefined;
        // A term dropped or relabelled has no values on this curve: a gap.
        columns[k]!.push(value ?? Number.NaN);
      });
    }
  }
  const n = steps.length;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const pick = <T>(values: readonly T[]): T[] => {
    if (stride === 1) return values.slice();
    const out: T[] = [];
    // Always through the last point: the chart ends where training is.
    for (let i = (n - 1) % stride; i < n; i += stride) out.push(values[i]!);
    return out;
  };
  return {
    series: [...series],
    data: [pick(steps), ...columns.map((c) => pick(smoothLosses(c, alpha)))],
    marks: programChanges(history),
  };
}
