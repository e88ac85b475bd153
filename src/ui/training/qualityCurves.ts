/**
 * The quality measurements of a run as the charts draw them: per chart, the steps measured, the
 * model's figure and the baselines (what doing nothing, knowing nothing or real data score),
 * drawn as lines beside it. Pure: the chart component only draws what comes back.
 */
import type { Unmeasured } from '../../runtime/quality/qualityReport';
import type { QualityPoint } from './trainingState';

export interface QualitySeries {
  label: string;
  /** A reference to read the model's curve against, not the model itself. */
  baseline: boolean;
}

export interface QualityChartSpec {
  id: string;
  title: string;
  /** What lower or higher means for the model's curve. */
  better: 'lower' | 'higher';
  series: QualitySeries[];
  /** Steps, then one row per series: uPlot's aligned data. */
  data: number[][];
}

export type QualityView =
  | { kind: 'charts'; charts: QualityChartSpec[] }
  | { kind: 'unmeasured'; why: Unmeasured; dataset: string; detail?: string }
  | { kind: 'waiting' };

function chart(
  id: string,
  title: string,
  better: 'lower' | 'higher',
  series: QualitySeries[],
  rows: { step: number; values: number[] }[],
): QualityChartSpec {
  return {
    id,
    title,
    better,
    series,
    data: [rows.map((r) => r.step), ...series.map((_, i) => rows.map((r) => r.values[i]!))],
  };
}

/** The charts of a run's measurements, of the kind its latest measurement has. */
export function qualityView(points: readonly QualityPoint[]): QualityView {
  const latest = points.at(-1)?.report;
  if (!latest) return { kind: 'waiting' };
  if (latest.kind === 'unmeasured') return latest;
  if (latest.kind === 'translation') {
    const charts = latest.scores.map(({ network, direction }) => {
      const rows = points.flatMap(({ step, report }) => {
        if (report.kind !== 'translation') return [];
        const s = report.scores.find((x) => x.network === network);
        return s ? [{ step, values: [s.meanL1, s.identityL1, s.blankL1] }] : [];
      });
      return chart(
        `translation-${network}`,
        `${network} (${direction}): L1 to the truth`,
        'lower',
        [
          { label: `${network} L1`, baseline: false },
          { label: 'identity baseline', baseline: true },
          { label: 'blank baseline', baseline: true },
        ],
        rows,
      );
    });
    return { kind: 'charts', charts };
  }
  const digits = points.flatMap(({ step, report }) =>
    report.kind === 'digits' ? [{ step, report }] : [],
  );
  const figure = (
    id: string,
    title: string,
    better: 'lower' | 'higher',
    realLabel: string,
    pick: (f: (typeof digits)[number]['report']['generated']) => number,
  ) =>
    chart(
      `digits-${id}`,
      title,
      better,
      [
        { label: latest.network, baseline: false },
        { label: realLabel, baseline: true },
      ],
      digits.map(({ step, report }) => ({
        step,
        values: [pick(report.generated), pick(report.real)],
      })),
    );
  return {
    kind: 'charts',
    charts: [
      figure(
        'confident',
        'Digits classified confidently (share)',
        'higher',
        'real digits',
        (f) => f.confidentShare,
      ),
      figure(
        'entropy',
        'Entropy of the predicted classes (bits)',
        'higher',
        'real digits',
        (f) => f.classEntropy,
      ),
      figure(
        'frechet',
        'Fréchet distance to real digits',
        'lower',
        'real halves',
        (f) => f.frechetDistance,
      ),
    ],
  };
}
