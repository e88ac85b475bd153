/**
 * Loss curves as the charts draw them: each term smoothed by an exponential moving average
 * (debiased, as TensorBoard smooths, so the first points are not dragged towards zero), then
 * thinned to at most a few thousand points, which is all a chart's width can show.
 */
import type { LossHistory } from './trainingStore';

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

export type ChartData = [number[], ...(number | null)[][]];

/** x (steps) and one smoothed series per term, every `stride`-th point when there are too many. */
export function chartData(
  history: LossHistory,
  terms: readonly string[],
  alpha: number,
  maxPoints = 2000,
): ChartData {
  const n = history.steps.length;
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const pick = <T>(values: readonly T[]): T[] => {
    if (stride === 1) return values.slice();
    const out: T[] = [];
    // Always through the last point: the chart ends where training is.
    for (let i = (n - 1) % stride; i < n; i += stride) out.push(values[i]!);
    return out;
  };
  return [
    pick(history.steps),
    ...terms.map((t) => {
      const series = smoothLosses(history.values.get(t) ?? [], alpha);
      // A term dropped from the graph mid-run has no values after that.
      while (series.length < n) series.push(null);
      return pick(series);
    }),
  ];
}
