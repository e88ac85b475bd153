import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { OptimizerInfo } from '../../runtime/worker/protocol';
import { chartData, chartSeries, seriesLabel, type ChartSeries } from './lossCurves';
import { useTraining, useTrainingStore } from './trainingContext';
import { shownHistory, shownRun } from './trainingSelectors';

const COLORS = [
  '#2563eb',
  '#dc2626',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#db2777',
  '#0891b2',
  '#65a30d',
];

/** Redraws at most this often, in an animation frame: drawing never becomes a long task. */
const REDRAW_MS = 250;
const HEIGHT = 140;

/** Four significant digits, as a legend has room for. */
function formatLoss(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return abs >= 1000 ? value.toFixed(0) : value.toPrecision(4);
}

/** Axis ticks: as few digits as tell them apart. */
function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step))));
  return value.toFixed(decimals);
}

/** Steps are whole numbers: ticks at 1, 2, 5 times powers of ten. */
const STEP_INCREMENTS = Array.from({ length: 8 }, (_, e) =>
  [1, 2, 5].map((m) => m * 10 ** e),
).flat();

function lastValue(series: uPlot.AlignedData[number] | undefined): number | null {
  for (let i = (series?.length ?? 0) - 1; i >= 0; i--) {
    const v = series![i];
    if (typeof v === 'number') return v;
  }
  return null;
}

/**
 * Marks where the program changed, drawn over the plot as elements (so that they can be
 * pointed at and found), placed again at every redraw.
 */
function programChangeMarks(marks: () => readonly number[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const steps = marks();
        const shown = u.over.querySelectorAll<HTMLElement>('.program-change');
        shown.forEach((element, i) => i >= steps.length && element.remove());
        steps.forEach((step, i) => {
          let element = shown[i];
          if (!element) {
            element = document.createElement('div');
            element.className = 'program-change';
            element.dataset.testid = 'program-change';
            u.over.appendChild(element);
          }
          const x = u.valToPos(step, 'x');
          element.dataset.step = String(step);
          element.style.left = `${x}px`;
          element.hidden = !(x >= 0 && x <= u.over.clientWidth);
        });
      },
    },
  };
}

/** One optimizer's loss terms: one curve per term and label it had (see lossCurves.ts). */
function LossChart({
  optimizer,
  labels,
}: {
  optimizer: OptimizerInfo;
  labels: Record<string, string>;
}) {
  const store = useTrainingStore();
  const box = useRef<HTMLDivElement>(null);
  const terms = optimizer.losses;
  // The chart is made again when its curves change: a term relabelled by an edit, or a run of
  // another graph; between those, only its data.
  const seriesKey = useTraining((s) => JSON.stringify(chartSeries(shownHistory(s), terms, labels)));

  useEffect(() => {
    const element = box.current!;
    const series = JSON.parse(seriesKey) as ChartSeries[];
    let marks: number[] = [];
    const data = () => {
      const state = store.getState();
      const chart = chartData(
        shownHistory(state),
        series,
        state.settings.smoothing,
        undefined,
        labels,
      );
      marks = chart.marks;
      return chart.data as uPlot.AlignedData;
    };
    const plot = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: HEIGHT,
        scales: { x: { time: false } },
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        plugins: [programChangeMarks(() => marks)],
        axes: [
          {
            size: 28,
            stroke: '#66788a',
            grid: { stroke: '#eef1f5' },
            ticks: { show: false },
            incrs: STEP_INCREMENTS,
          },
          {
            size: 46,
            stroke: '#66788a',
            grid: { stroke: '#eef1f5' },
            ticks: { show: false },
            values: (_u, values, _axis, _space, step) => values.map((v) => formatTick(v, step)),
          },
        ],
        series: [
          { label: 'step', value: (_u, v) => (v === null ? '–' : String(v)) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length]!,
            width: 1.5,
            spanGaps: false,
            points: { show: false },
            value: (u: uPlot, v: number | null, sidx: number, idx: number | null) =>
              formatLoss(idx === null ? lastValue(u.data[sidx]) : v),
          })),
        ],
      },
      data(),
      element,
    );
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let frame = 0;
    const draw = () => {
      frame = 0;
      last = performance.now();
      plot.setData(data());
      // Away from the cursor, the legend shows the latest values.
      if (plot.cursor.idx == null) plot.setLegend({});
    };
    const schedule = () => {
      if (timer !== undefined || frame !== 0) return;
      timer = setTimeout(
        () => {
          timer = undefined;
          frame = requestAnimationFrame(draw);
        },
        Math.max(0, REDRAW_MS - (performance.now() - last)),
      );
    };
    const unsubscribe = store.subscribe((s, p) => {
      if (shownHistory(s) !== shownHistory(p) || s.settings.smoothing !== p.settings.smoothing)
        schedule();
    });
    const resize = new ResizeObserver(() => {
      const width = Math.max(200, element.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    resize.observe(element);
    return () => {
      unsubscribe();
      resize.disconnect();
      if (timer !== undefined) clearTimeout(timer);
      cancelAnimationFrame(frame);
      plot.destroy();
    };
    // The key holds the curves and their labels.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, seriesKey]);

  const lr = useTraining((s) => shownRun(s)?.learningRates[optimizer.id]);
  return (
    <figure className="loss-chart" data-testid={`loss-chart-${optimizer.id}`}>
      <figcaption>
        <strong title={optimizer.id}>{optimizer.label}</strong>
        {lr !== undefined && (
          <span className="muted" title="The learning rate of the last step">
            lr {Number(lr.toPrecision(3)).toExponential()}
          </span>
        )}
      </figcaption>
      <div ref={box} className="loss-chart-plot" />
    </figure>
  );
}

/** One chart per optimizer, side by side (generator terms, discriminator terms), with smoothing. */
export function LossCharts() {
  const program = useTraining((s) => shownRun(s)?.program ?? null);
  const smoothing = useTraining((s) => s.settings.smoothing);
  const actions = useTraining((s) => s.actions);
  const hasSteps = useTraining((s) => shownHistory(s).segments.some((g) => g.records.length > 0));
  // Names for terms a segment does not describe: as the program loaded names them.
  const labels = useMemo(() => {
    if (!program) return {};
    const out = { ...program.labels };
    for (const t of program.lossTerms) out[t.id] = seriesLabel(t.label, t.type);
    return out;
  }, [program]);
  if (!program) {
    return <div className="training-empty">Loss curves appear here once training starts.</div>;
  }
  return (
    <div className="loss-charts">
      <div className="loss-charts-head">
        <h3>Losses</h3>
        <label className="smoothing" title="Exponential moving average of each curve">
          Smoothing
          <input
            type="range"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            onChange={(e) => actions.setSettings({ smoothing: Number(e.target.value) })}
            data-testid="smoothing"
          />
          <output>{smoothing.toFixed(2)}</output>
        </label>
      </div>
      <div className="loss-charts-row">
        {program.optimizers.map((o) => (
          <LossChart key={o.id} optimizer={o} labels={labels} />
        ))}
      </div>
      {!hasSteps && <div className="muted small">Waiting for the first step…</div>}
    </div>
  );
}
