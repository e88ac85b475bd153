/**
 * The run recorder as the panel drives it: a run resumed from its document's checkpoint (after a
 * reload) goes on writing the record it left, instead of starting a second record of the same run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { parseDocument } from '../../graph/document';
import type { LossTerm } from '../../runtime/worker/protocol';
import { startHistory } from '../../runtime/worker/runHistory';
import type { EditorState, EditorStore } from '../store';
import { defaultSettings } from '../training/settings';
import { NO_THROUGHPUT } from '../training/throughput';
import type { TrainingStore } from '../training/trainingStore';
import {
  initialTrainingState,
  type Run,
  type TrainingActions,
  type TrainingState,
} from '../training/trainingState';
import type { RunRecord } from './runRecord';
import { aRun } from './runFixture';
import { recordRuns } from './runRecorder';
import { memoryRuns } from './runStore';

const DOCUMENT_ID = 'doc-resumed';
const TERMS: LossTerm[] = [{ id: 'G_A', label: 'G_A', type: 'lsgan', weight: 1 }];
const PROGRAM = {
  documentId: DOCUMENT_ID,
  revision: 'r1',
  losses: ['G_A'],
  previews: [],
  labels: {},
  optimizers: [],
  networks: [],
  lossTerms: TERMS,
};

const grid = (fill: number) => [
  { id: 'x', label: 'x', width: 1, height: 1, rgba: new Uint8ClampedArray(4).fill(fill) },
];

/** What the run left in the history before the reload: 5 steps, a grid at step 5, pinned. */
function earlierRecord(): RunRecord {
  return aRun({
    id: 'run-before-reload',
    documentId: DOCUMENT_ID,
    segments: [{ revision: 'r1', start: 0 }],
    step: 5,
    startedAt: '2026-11-30T10:00:00.000Z',
    updatedAt: '2026-11-30T10:05:00.000Z',
    trainingMs: 60_000,
    series: {
      'loss:G_A': {
        kind: 'loss',
        name: 'G_A',
        label: 'G_A · lsgan',
        points: [1, 2, 3, 4, 5].map((s) => [s, 1 / s] as [number, number]),
      },
    },
    samples: [{ step: 5, images: grid(5) }],
    pinned: true,
  });
}

/**
 * The panel's run resumed at `from` and trained to `to`, with a grid at `to`. Its history starts
 * at `from`: the record must keep its curves even when a checkpoint brings back fewer losses
 * than the record holds.
 */
function resumedRun(from: number, to: number): Run {
  const history = startHistory(PROGRAM, from);
  for (let step = from + 1; step <= to; step++) {
    history.segments[0]!.records.push({ step, losses: { G_A: 1 / step } });
  }
  return {
    program: PROGRAM,
    ready: true,
    step: to,
    throughput: NO_THROUGHPUT,
    memoryBytes: null,
    numTensors: null,
    learningRates: {},
    history,
    samples: to > from ? { step: to, images: grid(to) } : null,
    recordId: 'run-after-reload',
  };
}

function stores(): { training: TrainingStore; editor: EditorStore } {
  const parsed = parseDocument(
    readFileSync(new URL('../../../templates/cyclegan.json', import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  const training = createStore<TrainingState>(() => ({
    ...initialTrainingState(defaultSettings(), DOCUMENT_ID),
    actions: {} as TrainingActions,
  }));
  // The recorder reads only the document of the editor's state.
  const editor = createStore<EditorState>(
    () => ({ document: { ...parsed.document, id: DOCUMENT_ID } }) as EditorState,
  );
  return { training, editor };
}

describe('recording a resumed run', () => {
  it('continues the record that ends at the checkpoint: one record, its samples, time and pin kept', async () => {
    const storage = memoryRuns();
    await storage.put(earlierRecord());
    const { training, editor } = stores();
    const stop = recordRuns(training, editor, storage);
    try {
      training.setState({ phase: 'paused', run: resumedRun(5, 5) });
      training.setState({ phase: 'running', run: resumedRun(5, 6) });
      training.setState({ phase: 'paused', run: resumedRun(5, 8) });
      await expect.poll(async () => (await storage.list()).map((r) => r.step)).toEqual([8]);
      const [record] = await storage.list();
      expect(record!.id).toBe('run-before-reload');
      expect(record!.startedAt).toBe('2026-11-30T10:00:00.000Z');
      expect(record!.pinned).toBe(true);
      expect(record!.trainingMs).toBeGreaterThanOrEqual(60_000);
      expect(record!.samples.map((s) => s.step)).toEqual([5, 6, 8]);
      expect(record!.series['loss:G_A']!.points.map(([step]) => step)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);
    } finally {
      stop();
    }
  });

  it('starts a record of its own when no earlier one ends at or before its step', async () => {
    const storage = memoryRuns();
    await storage.put({ ...earlierRecord(), step: 9 });
    const { training, editor } = stores();
    const stop = recordRuns(training, editor, storage);
    try {
      training.setState({ phase: 'paused', run: resumedRun(5, 5) });
      training.setState({ phase: 'running', run: resumedRun(5, 7) });
      await expect
        .poll(async () => (await storage.list()).map((r) => r.id).sort())
        .toEqual(['run-after-reload', 'run-before-reload']);
      expect((await storage.get('run-before-reload'))!.step).toBe(9);
    } finally {
      stop();
    }
  });
});
