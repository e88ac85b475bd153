import { describe, expect, test } from 'vitest';
import type {
  BrowserTrainingEvent,
  LossTerm,
  SavedCheckpointInfo,
} from '../../runtime/worker/protocol';
import { continueHistory, startHistory } from '../../runtime/worker/runHistory';
import { NO_THROUGHPUT, withArrival } from './throughput';
import { applyTrainingEvents, nextBackend, type EventView } from './trainingEvents';
import type { Run } from './trainingState';

const TERMS: LossTerm[] = [
  { id: 'cycle_A', label: 'cycle_A', type: 'l1', weight: 10 },
  { id: 'G_A', label: 'G_A', type: 'lsgan', weight: 1 },
];

function run(step = 0): Run {
  const program = {
    documentId: 'doc-a',
    revision: 'r1',
    losses: TERMS.map((t) => t.id),
    previews: [],
    labels: {},
    optimizers: [],
    networks: [],
    lossTerms: TERMS,
  };
  return {
    program,
    ready: true,
    step,
    throughput: NO_THROUGHPUT,
    memoryBytes: null,
    numTensors: null,
    learningRates: {},
    history: startHistory(program, step),
    samples: null,
  };
}

function view(patch: Partial<EventView> = {}): EventView {
  return {
    phase: 'running',
    run: run(),
    kept: {},
    notice: null,
    failure: null,
    datasets: [],
    backend: { requested: 'auto', backend: 'webgpu' },
    ...patch,
  };
}

const step = (n: number, losses: Record<string, number> = { cycle_A: 1, G_A: 2 }) =>
  ({
    type: 'step',
    step: n,
    losses,
    stepMs: 10,
    memoryBytes: 1000 + n,
    numTensors: 50,
    learningRates: { opt_G: 2e-4 },
  }) satisfies BrowserTrainingEvent;

describe('the training events, as the panel takes them in', () => {
  test('step events append to the current segment and set the step, memory and learning rates', () => {
    const next = applyTrainingEvents(view(), [step(1), step(2)], 1000);
    expect(next.run!.step).toBe(2);
    expect(next.run!.memoryBytes).toBe(1002);
    expect(next.run!.learningRates).toEqual({ opt_G: 2e-4 });
    const segments = next.run!.history.segments;
    expect(segments).toHaveLength(1);
    expect(segments[0]!.records.map((r) => r.step)).toEqual([1, 2]);
  });

  test('the state before is left as it was', () => {
    const before = view();
    applyTrainingEvents(before, [step(1)], 1000);
    expect(before.run!.history.segments[0]!.records).toEqual([]);
    expect(before.run!.step).toBe(0);
  });

  test('steps already recorded (events of before a load, arriving after it) are left out', () => {
    const once = applyTrainingEvents(view(), [step(1), step(2)], 1000);
    const again = applyTrainingEvents(once, [step(2), step(3)], 1100);
    expect(again.run!.history.segments[0]!.records.map((r) => r.step)).toEqual([1, 2, 3]);
  });

  test('after an edit, steps go into the new program’s segment', () => {
    const trained = applyTrainingEvents(view(), [step(1), step(2)], 1000).run!;
    const l2 = TERMS.map((t) => (t.id === 'cycle_A' ? { ...t, type: 'l2' } : t));
    const history = continueHistory(trained.history, { revision: 'r2', lossTerms: l2 }, 2);
    const next = applyTrainingEvents(view({ run: { ...trained, history } }), [step(3)], 1200);
    const segments = next.run!.history.segments;
    expect(segments.map((s) => [s.revision, s.start, s.records.map((r) => r.step)])).toEqual([
      ['r1', 0, [1, 2]],
      ['r2', 2, [3]],
    ]);
    expect(segments[1]!.lossTerms[0]!.type).toBe('l2');
  });

  test('state events set the phase', () => {
    const paused = applyTrainingEvents(view(), [{ type: 'state', state: 'paused', step: 4 }], 0);
    expect(paused.phase).toBe('paused');
    expect(paused.run!.step).toBe(4);
    expect(paused.notice).toBeNull();
    expect(
      applyTrainingEvents(paused, [{ type: 'state', state: 'running', step: 4 }], 0).phase,
    ).toBe('running');
    expect(applyTrainingEvents(paused, [{ type: 'state', state: 'idle', step: 0 }], 0).phase).toBe(
      'idle',
    );
    const stopped = applyTrainingEvents(paused, [{ type: 'state', state: 'stopped', step: 4 }], 0);
    expect(stopped.phase).toBe('stopped');
    expect(stopped.failure).toBeNull();
  });

  test('reaching the target pauses without a word: the step count shows it', () => {
    const next = applyTrainingEvents(
      view(),
      [{ type: 'state', state: 'paused', step: 20, reason: { kind: 'target-reached', step: 20 } }],
      0,
    );
    expect(next.phase).toBe('paused');
    expect(next.notice).toBeNull();
  });

  test('a loss that became NaN pauses with the term, value and step, as an error', () => {
    const next = applyTrainingEvents(
      view(),
      [
        {
          type: 'state',
          state: 'paused',
          step: 12,
          reason: { kind: 'nan', term: 'cycle_A', step: 12, value: Number.NaN },
        },
      ],
      0,
    );
    expect(next.notice).toEqual({
      text: 'Paused: loss "cycle_A" became NaN at step 12',
      tone: 'error',
    });
  });

  test('a step that failed pauses with what failed, as an error', () => {
    const next = applyTrainingEvents(
      view(),
      [
        {
          type: 'state',
          state: 'paused',
          step: 7,
          reason: { kind: 'step-failed', step: 7, message: 'out of memory' },
        },
      ],
      0,
    );
    expect(next.phase).toBe('paused');
    expect(next.notice).toEqual({
      text: 'Paused at step 7: the next step failed: out of memory',
      tone: 'error',
    });
  });

  test('a lost device ends the trainer: a failure that offers the next slower backend', () => {
    const next = applyTrainingEvents(
      view(),
      [
        {
          type: 'state',
          state: 'stopped',
          step: 9,
          reason: { kind: 'device-lost', message: 'the GPU was reset' },
        },
      ],
      0,
    );
    expect(next.phase).toBe('failed');
    expect(next.run!.ready).toBe(false);
    expect(next.failure).toEqual({
      message: 'The GPU device was lost: the GPU was reset',
      next: 'webgl',
    });
  });

  test('a kept checkpoint is recorded for its document; one that could not be kept is news', () => {
    const info = (documentId: string, step: number): SavedCheckpointInfo => ({
      documentId,
      revision: 'r1',
      step,
      savedAt: '2026-01-01T00:00:00.000Z',
      bytes: 100,
      graphName: 'CycleGAN',
      backend: 'cpu',
    });
    const other = info('doc-b', 3);
    const next = applyTrainingEvents(
      view({ kept: { 'doc-b': other } }),
      [{ type: 'checkpoint-saved', info: info('doc-a', 10) }],
      0,
    );
    expect(next.kept).toEqual({ 'doc-a': info('doc-a', 10), 'doc-b': other });
    const failed = applyTrainingEvents(
      next,
      [{ type: 'checkpoint-failed', step: 11, message: 'the disk is full' }],
      0,
    );
    expect(failed.notice).toEqual({ text: 'the disk is full', tone: 'error' });
    expect(failed.kept).toBe(next.kept);
  });

  test('samples replace the ones before, with their step', () => {
    const image = {
      id: 'show',
      label: 'show',
      width: 1,
      height: 1,
      rgba: new Uint8ClampedArray(4),
    };
    const next = applyTrainingEvents(
      view(),
      [
        { type: 'samples', step: 10, samples: [image] },
        { type: 'samples', step: 20, samples: [image] },
      ],
      0,
    );
    expect(next.run!.samples).toEqual({ step: 20, images: [image] });
  });

  test('dataset progress updates the dataset it is about', () => {
    const next = applyTrainingEvents(
      view({
        datasets: [
          { source: 'folder:a', name: 'a', status: 'reading' },
          { source: 'folder:b', name: 'b', status: 'ready' },
        ],
      }),
      [{ type: 'dataset-progress', source: 'folder:a', done: 3, total: 10 }],
      0,
    );
    expect(next.datasets[0]!.progress).toEqual({ done: 3, total: 10 });
    expect(next.datasets[1]!.progress).toBeUndefined();
  });

  test('without a run, progress is dropped and states still set the phase', () => {
    const next = applyTrainingEvents(
      view({ run: null, phase: 'loading' }),
      [step(1), { type: 'state', state: 'idle', step: 0 }],
      0,
    );
    expect(next.run).toBeNull();
    expect(next.phase).toBe('idle');
  });

  test('the speed is the steps per second over the batches of the last seconds', () => {
    let throughput = withArrival(NO_THROUGHPUT, 10, 1000);
    expect(throughput.stepsPerSecond).toBeNull();
    throughput = withArrival(throughput, 30, 2000);
    expect(throughput.stepsPerSecond).toBe(20);
    // A batch after a long pause forgets what came before the window.
    throughput = withArrival(throughput, 40, 60_000);
    expect(throughput.arrivals).toHaveLength(1);
    expect(throughput.stepsPerSecond).toBeNull();
  });

  test('after a failure, training goes on with the next slower backend', () => {
    expect(nextBackend('webgpu')).toBe('webgl');
    expect(nextBackend('webgl')).toBe('cpu');
    expect(nextBackend('cpu')).toBeNull();
  });
});
