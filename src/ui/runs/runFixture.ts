/** A run record for tests: an empty run of CycleGAN on the cpu, with what a test sets. */
import { RUN_FORMAT, type RunRecord } from './runRecord';

export function aRun(patch: Partial<RunRecord> = {}): RunRecord {
  return {
    format: RUN_FORMAT,
    id: 'run-1',
    documentId: 'doc-1',
    graphName: 'CycleGAN',
    segments: [],
    graphs: {},
    overrides: {},
    backend: 'cpu',
    step: 0,
    startedAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    trainingMs: 0,
    series: {},
    samples: [],
    pinned: false,
    origin: 'browser',
    ...patch,
  };
}
