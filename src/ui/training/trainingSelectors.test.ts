import { describe, expect, test } from 'vitest';
import type { SavedCheckpointInfo } from '../../runtime/worker/protocol';
import { startHistory } from '../../runtime/worker/runHistory';
import { loadPlan } from './runActions';
import { defaultSettings } from './settings';
import { NO_THROUGHPUT } from './throughput';
import {
  hasUnkeptSteps,
  keptCheckpoints,
  otherRunStep,
  resumeOffer,
  shownPhase,
  shownRun,
  shownStep,
} from './trainingSelectors';
import { initialTrainingState, type Run, type TrainingState } from './trainingState';

function runOf(documentId: string, step: number, revision = 'r1'): Run {
  const program = {
    documentId,
    revision,
    losses: [],
    previews: [],
    labels: {},
    optimizers: [],
    networks: [],
    lossTerms: [],
  };
  return {
    program,
    ready: true,
    step,
    throughput: NO_THROUGHPUT,
    memoryBytes: null,
    numTensors: null,
    learningRates: {},
    history: startHistory(program, 0),
    samples: null,
  };
}

const kept = (documentId: string, step: number, savedAt: string): SavedCheckpointInfo => ({
  documentId,
  revision: 'r1',
  step,
  savedAt,
  bytes: 10,
  graphName: documentId,
  backend: 'cpu',
});

function state(patch: Partial<TrainingState>): TrainingState {
  return {
    ...initialTrainingState(defaultSettings(), 'doc-a'),
    actions: {} as TrainingState['actions'],
    ...patch,
  };
}

describe('a run belongs to its document', () => {
  test('the panel shows the run of the document being edited', () => {
    const s = state({ run: runOf('doc-a', 5), phase: 'paused' });
    expect(shownRun(s)).toBe(s.run);
    expect(shownStep(s)).toBe(5);
    expect(shownPhase(s)).toBe('paused');
  });

  test('another document shows no run: step 0, ready, and the other run training on behind', () => {
    const s = state({ run: runOf('doc-a', 5), phase: 'running', documentId: 'doc-b' });
    expect(shownRun(s)).toBeNull();
    expect(shownStep(s)).toBe(0);
    expect(shownPhase(s)).toBe('idle');
    expect(otherRunStep(s)).toBe(5);
    expect(otherRunStep({ ...s, phase: 'paused' })).toBeNull();
  });

  test('a document without a trainer is offered its kept checkpoint, and only its own', () => {
    const a = kept('doc-a', 20, '2026-01-01T00:00:00.000Z');
    const b = kept('doc-b', 7, '2026-01-02T00:00:00.000Z');
    expect(resumeOffer(state({ kept: { 'doc-a': a, 'doc-b': b } }))).toBe(a);
    expect(resumeOffer(state({ kept: { 'doc-b': b } }))).toBeNull();
    // While the worker holds its trainer, or loads one, there is nothing to offer.
    expect(resumeOffer(state({ kept: { 'doc-a': a }, run: runOf('doc-a', 20) }))).toBeNull();
    expect(resumeOffer(state({ kept: { 'doc-a': a }, phase: 'loading' }))).toBeNull();
    // Another document's run does not hide it.
    expect(resumeOffer(state({ kept: { 'doc-a': a }, run: runOf('doc-b', 3) }))).toBe(a);
  });

  test('kept checkpoints are listed with the current document’s first, then the latest', () => {
    const a = kept('doc-a', 20, '2026-01-01T00:00:00.000Z');
    const b = kept('doc-b', 7, '2026-01-02T00:00:00.000Z');
    const c = kept('doc-c', 7, '2026-01-03T00:00:00.000Z');
    expect(keptCheckpoints({ 'doc-b': b, 'doc-a': a, 'doc-c': c }, 'doc-a')).toEqual([a, c, b]);
  });

  test('Run loads afresh for another document, and never continues its run', () => {
    const s = state({ run: runOf('doc-a', 5), phase: 'paused', documentId: 'doc-b' });
    expect(loadPlan(s, 'r1')).toBe('load');
  });

  test('Run goes on with the program loaded, carries a trained run over to an edit', () => {
    const s = state({ run: runOf('doc-a', 5), phase: 'paused' });
    expect(loadPlan(s, 'r1')).toBe('ready');
    expect(loadPlan(s, 'r2')).toBe('continue');
    // Nothing trained yet, or a run stopped: the edited graph loads afresh.
    expect(loadPlan(state({ run: runOf('doc-a', 0) }), 'r2')).toBe('load');
    expect(loadPlan({ ...s, phase: 'stopped' }, 'r1')).toBe('load');
    expect(loadPlan({ ...s, run: { ...s.run!, ready: false } }, 'r1')).toBe('load');
  });

  test('leaving the page would lose steps while a run trains, or past its kept checkpoint', () => {
    const a = kept('doc-a', 20, '2026-01-01T00:00:00.000Z');
    expect(
      hasUnkeptSteps(state({ run: runOf('doc-a', 20), phase: 'running', kept: { 'doc-a': a } })),
    ).toBe(true);
    expect(
      hasUnkeptSteps(state({ run: runOf('doc-a', 20), phase: 'paused', kept: { 'doc-a': a } })),
    ).toBe(false);
    expect(
      hasUnkeptSteps(state({ run: runOf('doc-a', 23), phase: 'paused', kept: { 'doc-a': a } })),
    ).toBe(true);
    // Another document's run counts too: it is lost with the page all the same.
    expect(hasUnkeptSteps(state({ run: runOf('doc-b', 3), phase: 'paused' }))).toBe(true);
    // Nothing trained, or nothing left to keep (the device is gone with the trainer).
    expect(hasUnkeptSteps(state({ run: runOf('doc-a', 0), phase: 'idle' }))).toBe(false);
    const lost = { ...runOf('doc-a', 23), ready: false };
    expect(hasUnkeptSteps(state({ run: lost, phase: 'failed', kept: { 'doc-a': a } }))).toBe(false);
  });
});
