/**
 * The run's quality on its held-out set, beside the losses: the model's curve against its
 * baselines (dashed), one chart per translating generator or per digit figure; or what is not
 * measured for this data, and why.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { unmeasuredText } from '../../runtime/quality/qualityWords';
import './QualityChart.css';
import { qualityView, type QualityChartSpec } from './qualityCurves';
import { useTraining } from './trainingContext';
import { shownRun } from './trainingSelectors';

const MODEL_COLOR = '#2563eb';
const BASELINE_COLORS = ['#9ca3af', '#d97706'];
const HEIGHT = 90;

function formatFigure(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

function QualityChart({ spec }: { spec: QualityChartSpec }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const seriesKey = JSON.stringify(spec.series);

  useEffect(() => {
    const element = box.current!;
    const made = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: HEIGHT,
        scales: { x: { time: false } },
        legend: { live: true },
        axes: [
          { size: 28, stroke: '#66788a', grid: { stroke: '#eef1f5' }, ticks: { show: false } },
          { size: 46, stroke: '#66788a', grid: { stroke: '#eef1f5' }, ticks: { show: false } },
        ],
        series: [
          { label: 'step' },
          ...spec.series.map((s, i) => ({
            label: s.label,
            stroke: s.baseline ? BASELINE_COLORS[(i - 1) % BASELINE_COLORS.length]! : MODEL_COLOR,
            width: s.baseline ? 1 : 1.75,
            ...(s.baseline ? { dash: [5, 4] } : {}),
            points: { show: !s.baseline },
            // The value under the cursor; away from it, the latest.
            value: (u: uPlot, v: number | null, sidx: number, idx: number | null) =>
              formatFigure(idx === null ? u.data[sidx]?.at(-1) : v),
          })),
        ],
      },
      [[]],
      element,
    );
    plot.current = made;
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, element.clientWidth);
      if (width !== made.width) made.setSize({ width, height: HEIGHT });
    });
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      plot.current = null;
    };
    // The key holds the series; the data follows below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seriesKey]);

  useEffect(() => {
    const shown = plot.current;
    if (!shown) return;
    shown.setData(spec.data as uPlot.AlignedData);
    if (shown.cursor.idx == null) shown.setLegend({});
  }, [spec.data, seriesKey]);

  return (
    <figure
      className="loss-chart quality-chart"
      data-testid={`quality-chart-${spec.id}`}
      data-points={spec.data[0]!.length}
    >
      <figcaption>
        <strong>{spec.title}</strong>
        <span className="muted">{spec.better} is better</span>
      </figcaption>
      <div ref={box} className="loss-chart-plot" />
    </figure>
  );
}

/** The quality charts of the run shown, or what the panel has to say instead. */
export function QualityCharts() {
  const points = useTraining((s) => shownRun(s)?.quality);
  const hasRun = useTraining((s) => shownRun(s) !== null);
  const every = useTraining((s) => s.settings.qualityEvery);
  const view = useMemo(() => qualityView(points ?? []), [points]);
  if (!hasRun) return null;
  return (
    <div className="quality-charts" data-testid="quality">
      <div className="loss-charts-head">
        <h3>Quality</h3>
        <span className="muted small">every {every} steps, on held-out data</span>
      </div>
      {view.kind === 'waiting' && (
        <div className="muted small">
          Measured every {every} steps: for MNIST digits generated from noise, a digit
          classifier&apos;s confident share, class entropy and Fréchet distance; for data with true
          translations (the built-in scenes, or a folder whose testA/ and testB/ pair by file name),
          the mean L1 to the truth. Other data is not measured.
        </div>
      )}
      {view.kind === 'unmeasured' && (
        <div className="muted small" data-testid="quality-unmeasured">
          {unmeasuredText(view.why, view.dataset, view.detail)}
        </div>
      )}
      {view.kind === 'charts' && (
        <div className="quality-charts-column">
          {view.charts.map((spec) => (
            <QualityChart key={spec.id} spec={spec} />
          ))}
        </div>
      )}
    </div>
  );
}
