import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartData } from './lossCurves';
import { useTraining, useTrainingStore } from './trainingContext';
import type { LoadedProgram } from './trainingStore';

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
function seriesLabel(label: string, type: string | undefined): string {
  const kind = type ? (LOSS_KINDS[type] ?? type) : undefined;
  return kind ? `${label} · ${kind}` : label;
}

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

/** One optimizer's loss terms, one series per Loss node. */
function LossChart({
  optimizer,
  labels,
}: {
  optimizer: LoadedProgram['optimizers'][number];
  labels: Record<string, string>;
}) {
  const store = useTrainingStore();
  const box = useRef<HTMLDivElement>(null);
  const terms = optimizer.losses;
  // Made again when a term's label changes too: a Loss node's type edited between runs.
  const termKey = JSON.stringify(terms.map((id) => labels[id] ?? id));

  useEffect(() => {
    const element = box.current!;
    const data = () => {
      const { history, settings } = store.getState();
      return chartData(history, terms, settings.smoothing) as uPlot.AlignedData;
    };
    const plot = new uPlot(
      {
        width: Math.max(200, element.clientWidth),
        height: HEIGHT,
        scales: { x: { time: false } },
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
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
          ...terms.map((id, i) => ({
            label: labels[id] ?? id,
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
      if (s.historyVersion !== p.historyVersion || s.settings.smoothing !== p.settings.smoothing)
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
    // The key holds the terms and their labels.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, termKey]);

  const lr = useTraining((s) => s.learningRates[optimizer.id]);
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
  const program = useTraining((s) => s.program);
  const smoothing = useTraining((s) => s.settings.smoothing);
  const actions = useTraining((s) => s.actions);
  const hasSteps = useTraining((s) => s.history.steps.length > 0);
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
