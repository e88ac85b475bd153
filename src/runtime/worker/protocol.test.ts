import { describe, expect, it } from 'vitest';
import { BrowserTrainingEvent, TrainingEvent } from './protocol';

describe('the events the worker sends, as schemas', () => {
  it('a reason is data: a sentence is not a reason, and there is no error event', () => {
    const paused = { type: 'state', state: 'paused', step: 4 };
    expect(
      TrainingEvent.safeParse({ ...paused, reason: { kind: 'target-reached', step: 4 } }).success,
    ).toBe(true);
    expect(TrainingEvent.safeParse({ ...paused, reason: 'reached step 4' }).success).toBe(false);
    expect(TrainingEvent.safeParse({ type: 'error', message: 'out of memory' }).success).toBe(
      false,
    );
  });

  it('a loss may be NaN or infinite in a step and in a guard pause', () => {
    const step = {
      type: 'step',
      step: 1,
      losses: { G_A: Number.NaN, D_A: Infinity },
      stepMs: 3,
      memoryBytes: 10,
      numTensors: 2,
      learningRates: { opt_G: 2e-4 },
    };
    const nan = { kind: 'nan', term: 'G_A', step: 1, value: Number.NaN };
    expect(TrainingEvent.safeParse(step).success).toBe(true);
    expect(
      TrainingEvent.safeParse({ type: 'state', state: 'paused', step: 1, reason: nan }),
    ).toMatchObject({ success: true });
  });

  it('the page receives checkpoints as their kept info, never their bytes', () => {
    const bytes = { type: 'checkpoint', step: 2, bytes: new Uint8Array(4) };
    expect(TrainingEvent.safeParse(bytes).success).toBe(true);
    expect(BrowserTrainingEvent.safeParse(bytes).success).toBe(false);
    const info = {
      documentId: 'doc-1',
      revision: '0123456789abcdef',
      step: 2,
      savedAt: '2026-01-01T00:00:00.000Z',
      bytes: 4,
      graphName: 'CycleGAN',
      backend: 'cpu',
    };
    expect(BrowserTrainingEvent.safeParse({ type: 'checkpoint-saved', info }).success).toBe(true);
  });
});
