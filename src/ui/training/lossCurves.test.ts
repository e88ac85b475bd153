import { describe, expect, test } from 'vitest';
import type { HistorySegment, LossTerm, RunHistory } from '../../runtime/worker/protocol';
import { chartData, chartSeries, programChanges, smoothLosses } from './lossCurves';

const term = (id: string, type: string): LossTerm => ({ id, label: id, type, weight: 1 });

function segment(
  revision: string,
  start: number,
  lossTerms: LossTerm[],
  losses: Record<string, number>[],
): HistorySegment {
  return {
    revision,
    start,
    lossTerms,
    records: losses.map((l, i) => ({ step: start + i + 1, losses: l })),
  };
}

/** Three steps with an L1 cycle loss, then two after it was rewired to L2. */
const REWIRED: RunHistory = {
  segments: [
    segment(
      'r1',
      0,
      [term('G_A', 'lsgan'), term('cycle_A', 'l1')],
      [
        { G_A: 1, cycle_A: 4 },
        { G_A: 1, cycle_A: 3 },
        { G_A: 1, cycle_A: 2 },
      ],
    ),
    segment(
      'r2',
      3,
      [term('G_A', 'lsgan'), term('cycle_A', 'l2')],
      [
        { G_A: 1, cycle_A: 9 },
        { G_A: 1, cycle_A: 8 },
      ],
    ),
  ],
};

describe('loss curves', () => {
  test('are smoothed by a debiased moving average; non-finite losses are gaps', () => {
    expect(smoothLosses([1, 2, 3], 0)).toEqual([1, 2, 3]);
    // Debiased: the first point is the first value, not half of it.
    const smoothed = smoothLosses([2, 4, Number.NaN, 4], 0.5);
    expect(smoothed[0]).toBe(2);
    expect(smoothed[1]).toBeCloseTo((0.25 * 2 + 0.5 * 4) / 0.75, 12);
    expect(smoothed[2]).toBeNull();
    expect(smoothed[3]).toBeGreaterThan(smoothed[1]!);
  });

  test('long histories are thinned for the chart, always through the last step', () => {
    const n = 10_001;
    const history: RunHistory = {
      segments: [
        segment(
          'r',
          0,
          [term('G_A', 'lsgan')],
          Array.from({ length: n }, () => ({ G_A: 1 })),
        ),
      ],
    };
    const series = chartSeries(history, ['G_A', 'gone']);
    const {
      data: [x, y, gone],
    } = chartData(history, series, 0);
    expect(x.length).toBeLessThanOrEqual(2000);
    expect(x.at(-1)).toBe(n);
    expect(y).toHaveLength(x.length);
    expect(gone!.every((v) => v === null)).toBe(true);
  });

  test('a term rewired mid-run gets a curve per kind of loss, each with the steps of its program', () => {
    const series = chartSeries(REWIRED, ['G_A', 'cycle_A']);
    expect(series.map((s) => s.label)).toEqual(['G_A · LSGAN', 'cycle_A · L1', 'cycle_A · L2']);
    const {
      data: [steps, adversarial, l1, l2],
      marks,
    } = chartData(REWIRED, series, 0);
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    // The term whose kind stayed is one unbroken curve.
    expect(adversarial).toEqual([1, 1, 1, 1, 1]);
    expect(l1).toEqual([4, 3, 2, null, null]);
    expect(l2).toEqual([null, null, null, 9, 8]);
    expect(marks).toEqual([3]);
  });

  test('smoothing starts afresh on a new curve: the L2 values are not averaged with the L1 ones', () => {
    const series = chartSeries(REWIRED, ['cycle_A']);
    const {
      data: [, , l2],
    } = chartData(REWIRED, series, 0.9);
    expect(l2![3]).toBe(9);
  });

  test('the program changes where a segment begins, each step once', () => {
    expect(programChanges({ segments: [] })).toEqual([]);
    expect(programChanges(REWIRED)).toEqual([3]);
  });

  test('a term a segment does not describe is named as the program names it', () => {
    const history: RunHistory = { segments: [segment('r', 0, [], [{ D_A: 1 }])] };
    expect(chartSeries(history, ['D_A'], { D_A: 'D_A · LSGAN' })).toEqual([
      { term: 'D_A', label: 'D_A · LSGAN' },
    ]);
  });
});
