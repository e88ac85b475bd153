import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ImageCanvas } from '../training/SampleGrid';
import { sampleRows } from '../training/samples';
import { graphDifferences, overlays, samplesNear, type Overlay } from './comparison';
import type { RunRecord } from './runRecord';

const COLORS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#db2777'];
const HEIGHT = 140;

const runName = (r: RunRecord, i: number) =>
  `${i + 1}: ${r.graphName} (${new Date(r.startedAt).toLocaleTimeString()})`;

/** One curve shared by the runs: a line per run, by step. */
function OverlayChart({ overlay, runs }: { overlay: Overlay; runs: readonly RunRecord[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current!;
    const plot = new uPlot(
      {
        width: Math.max(220, element.clientWidth),
        height: HEIGHT,
        scales: { x: { time: false } },
        legend: { live: false },
        series: [
          { label: 'step' },
          ...runs.map((r, i) => ({
            label: runName(r, i),
            stroke: COLORS[i % COLORS.length]!,
            width: 1.5,
            spanGaps: true,
            points: { show: false },
          })),
        ],
      },
      overlay.data as uPlot.AlignedData,
      element,
    );
    return () => plot.destroy();
  }, [overlay, runs]);
  return (
    <figure className="overlay-chart" data-testid={`overlay-${overlay.label}`}>
      <figcaption>{overlay.label}</figcaption>
      <div ref={box} />
    </figure>
  );
}

/** Two or more runs side by side: curves overlaid, samples at a step, what their graphs differ in. */
export function CompareView({ runs }: { runs: readonly RunRecord[] }) {
  const { shared, apart } = useMemo(() => overlays(runs), [runs]);
  const differences = useMemo(() => graphDifferences(runs), [runs]);
  const last = Math.max(...runs.map((r) => r.step));
  const [step, setStep] = useState(last);
  return (
    <section className="compare" data-testid="compare">
      <h3>Compare</h3>
      <ul className="compare-runs" data-testid="compare-runs">
        {runs.map((r, i) => (
          <li key={r.id} style={{ color: COLORS[i % COLORS.length] }}>
            {runName(r, i)} · {r.step} steps
          </li>
        ))}
      </ul>
      <h4>What the graphs differ in</h4>
      {differences.map(({ run, lines }) => (
        <div key={run.id} className="graph-diff" data-testid="graph-diff">
          <div className="muted small">
            run {runs.indexOf(run) + 1} against run 1
            {lines === null
              ? ': a graph is not kept'
              : lines.length === 0
                ? ': the same graph'
                : ''}
          </div>
          <ul>
            {lines?.map((line) => (
              <li key={line}>
                <code>{line}</code>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <h4>Curves</h4>
      <div className="overlay-charts">
        {shared.map((o) => (
          <OverlayChart key={o.key} overlay={o} runs={runs} />
        ))}
      </div>
      {apart.map(({ run, labels }) => (
        <div key={run.id} className="muted small" data-testid="curves-apart">
          Only in run {runs.indexOf(run) + 1}: {labels.join(', ')}
        </div>
      ))}
      <h4>
        Samples at step{' '}
        <input
          type="range"
          min={0}
          max={last}
          value={step}
          onChange={(e) => setStep(Number(e.target.value))}
          data-testid="compare-step"
        />{' '}
        {step}
      </h4>
      <div className="compare-samples">
        {runs.map((r, i) => {
          const samples = samplesNear(r, step);
          return (
            <div key={r.id} className="compare-sample-column">
              <div className="small">
                {runName(r, i)}
                {samples ? ` · step ${samples.step}` : ': no samples'}
              </div>
              {samples &&
                sampleRows(samples.images).map((row, k) => (
                  <div className="sample-row" key={k}>
                    {row.map((image) => (
                      <figure key={image.id} className="sample">
                        <ImageCanvas image={image} size={64} />
                        <figcaption>{image.label}</figcaption>
                      </figure>
                    ))}
                  </div>
                ))}
            </div>
          );
        })}
      </div>
    </section>
  );
}
