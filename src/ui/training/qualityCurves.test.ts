import { describe, expect, test } from 'vitest';
import type { QualityReport } from '../../runtime/quality/qualityReport';
import { startHistory } from '../../runtime/worker/runHistory';
import { qualityView } from './qualityCurves';
import { NO_THROUGHPUT } from './throughput';
import { applyTrainingEvents, type EventView } from './trainingEvents';
import type { QualityPoint, Run } from './trainingState';

const translation = (meanL1: number): QualityReport => ({
  kind: 'translation',
  scores: [
    { network: 'G_A', direction: 'A→B', meanL1, identityL1: 0.8, blankL1: 0.7, images: 16 },
    {
      network: 'G_B',
      direction: 'B→A',
      meanL1: meanL1 / 2,
      identityL1: 0.8,
      blankL1: 0.4,
      images: 16,
    },
  ],
});

const digits = (frechetDistance: number): QualityReport => ({
  kind: 'digits',
  network: 'G',
  generated: { confidentShare: 0.5, classEntropy: 3, frechetDistance, samples: 256 },
  real: { confidentShare: 0.97, classEntropy: 3.32, frechetDistance: 0.5, samples: 250 },
});

function view(): EventView {
  const program = {
    documentId: 'doc',
    revision: 'r1',
    losses: [],
    previews: [],
    labels: {},
    optimizers: [],
    networks: [],
    lossTerms: [],
  };
  const run: Run = {
    program,
    ready: true,
    step: 0,
    throughput: NO_THROUGHPUT,
    memoryBytes: null,
    numTensors: null,
    learningRates: {},
    history: startHistory(program, 0),
    samples: null,
  };
  return {
    phase: 'running',
    run,
    kept: {},
    notice: null,
    failure: null,
    datasets: [],
    backend: null,
  };
}

describe('quality events', () => {
  test('are kept in the run, oldest first; a measurement of an earlier step replaces what followed it', () => {
    const quality = (step: number, l1: number) =>
      ({ type: 'quality', step, report: translation(l1) }) as const;
    let next = applyTrainingEvents(view(), [quality(10, 0.5), quality(20, 0.3)], 0);
    expect(next.run!.quality!.map((p) => p.step)).toEqual([10, 20]);
    next = applyTrainingEvents(next, [quality(10, 0.4)], 0);
    expect(next.run!.quality).toEqual([{ step: 10, report: translation(0.4) }]);
  });
});

describe('qualityView', () => {
  test('waits before the first measurement', () => {
    expect(qualityView([])).toEqual({ kind: 'waiting' });
  });

  test('draws each translating generator against its identity and blank baselines', () => {
    const points: QualityPoint[] = [
      { step: 10, report: translation(0.6) },
      { step: 20, report: translation(0.2) },
    ];
    const view = qualityView(points);
    expect(view.kind).toBe('charts');
    if (view.kind !== 'charts') return;
    expect(view.charts.map((c) => c.id)).toEqual(['translation-G_A', 'translation-G_B']);
    const [a] = view.charts;
    expect(a!.series).toEqual([
      { label: 'G_A L1', baseline: false },
      { label: 'identity baseline', baseline: true },
      { label: 'blank baseline', baseline: true },
    ]);
    expect(a!.data).toEqual([
      [10, 20],
      [0.6, 0.2],
      [0.8, 0.8],
      [0.7, 0.7],
    ]);
    expect(view.charts[1]!.data[3]).toEqual([0.4, 0.4]);
  });

  test("draws the digit figures against real digits' own", () => {
    const view = qualityView([
      { step: 50, report: digits(40) },
      { step: 100, report: digits(12) },
    ]);
    if (view.kind !== 'charts') throw new Error(`expected charts, received ${view.kind}`);
    expect(view.charts.map((c) => [c.id, c.better])).toEqual([
      ['digits-confident', 'higher'],
      ['digits-entropy', 'higher'],
      ['digits-frechet', 'lower'],
    ]);
    expect(view.charts[2]!.data).toEqual([
      [50, 100],
      [40, 12],
      [0.5, 0.5],
    ]);
    expect(view.charts[0]!.series.map((s) => s.label)).toEqual(['G', 'real digits']);
  });

  test('says what is not measured, and why', () => {
    const report = {
      kind: 'unmeasured',
      why: 'no-true-translations',
      dataset: 'folder:photos',
    } as const;
    expect(qualityView([{ step: 5, report }])).toEqual(report);
  });
});
