/**
 * Writes the training panel's run into the history of runs as it goes: the graph of each
 * revision it trains, its curves, a sample grid at each samples event, its time and the
 * checkpoint kept for it. A run resumed from its document's checkpoint (after a reload) goes on
 * writing the record it left, when one ends where the checkpoint does.
 */
import { withDocumentId } from '../../graph/document';
import { graphRevision } from '../../graph/revision';
import type { EditorStore } from '../store';
import { effectiveOverrides } from '../training/settings';
import type { TrainingStore } from '../training/trainingStore';
import type { Run, TrainingState } from '../training/trainingState';
import { mergedSeries, RUN_FORMAT, withLossSeries, type RunRecord } from './runRecord';
import { keepRun, runStorage, type RunStorage } from './runStore';

/** Progress is written at most this often; a change of phase or new samples at once. */
const WRITE_MS = 2000;

function newRecord(run: Run, state: TrainingState, editor: EditorStore, now: number): RunRecord {
  const document = withDocumentId(editor.getState().document);
  return {
    format: RUN_FORMAT,
    id: run.recordId!,
    documentId: run.program.documentId,
    graphName: document.name,
    segments: [],
    graphs: {},
    overrides: effectiveOverrides(document, state.settings.overrides),
    backend: state.backend?.backend ?? state.settings.backend,
    step: run.step,
    startedAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    trainingMs: 0,
    series: {},
    samples: [],
    pinned: false,
    origin: 'browser',
  };
}

/** The record with what the run has now. */
export function recordedRun(
  record: RunRecord,
  run: Run,
  state: TrainingState,
  graph: { document: RunRecord['graphs'][string]; revision: string } | undefined,
  now: number,
): RunRecord {
  const kept = state.kept[run.program.documentId];
  const lastSample = record.samples.at(-1)?.step ?? -1;
  const samples =
    run.samples && run.samples.step > lastSample
      ? [...record.samples, { step: run.samples.step, images: run.samples.images }]
      : record.samples;
  return {
    ...record,
    step: Math.max(record.step, run.step),
    segments: run.history.segments.map((s) => ({ revision: s.revision, start: s.start })),
    graphs:
      graph && !record.graphs[graph.revision]
        ? { ...record.graphs, [graph.revision]: graph.document }
        : record.graphs,
    series: withLossSeries(record.series, run.history),
    samples,
    backend: state.backend?.backend ?? record.backend,
    updatedAt: new Date(now).toISOString(),
    ...(kept && kept.step <= run.step && kept.step > (record.checkpoint?.step ?? -1)
      ? { checkpoint: { documentId: kept.documentId, step: kept.step } }
      : {}),
  };
}

/** Records the panel's runs until the returned function is called. */
export function recordRuns(
  training: TrainingStore,
  editor: EditorStore,
  storage: RunStorage = runStorage(),
): () => void {
  let record: RunRecord | undefined;
  let adopting: Promise<void> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();

  const write = () => {
    timer = undefined;
    writing = writing
      .then(() => adopting)
      .then(() => (record ? keepRun(record, storage) : undefined))
      .catch(() => undefined);
  };

  /** A run resumed from a checkpoint continues the record that ends at its step. */
  const adopt = (run: Run) =>
    storage.list().then((all) => {
      const first = run.history.segments[0];
      const earlier = all
        .filter(
          (r) =>
            r.documentId === run.program.documentId &&
            r.step <= run.step &&
            r.segments[0]?.revision === first?.revision,
        )
        .sort((a, b) => b.step - a.step)[0];
      if (!earlier || !record) return;
      record = {
        ...earlier,
        ...record,
        id: earlier.id,
        startedAt: earlier.startedAt,
        graphs: { ...earlier.graphs, ...record.graphs },
        series: mergedSeries(earlier.series, record.series),
        samples: [...earlier.samples, ...record.samples.filter((s) => s.step > earlier.step)],
        trainingMs: earlier.trainingMs + record.trainingMs,
        pinned: earlier.pinned,
      };
    });

  const unsubscribe = training.subscribe((state, previous) => {
    const run = state.run;
    if (!run?.recordId) return;
    if (run === previous.run && state.phase === previous.phase && state.kept === previous.kept) {
      return;
    }
    const now = Date.now();
    const fresh = record?.id !== run.recordId && previous.run?.recordId !== run.recordId;
    if (!record || fresh) {
      if (record && timer !== undefined) {
        clearTimeout(timer);
        write();
      }
      record = newRecord(run, state, editor, now);
      adopting = run.step > 0 ? adopt(run) : Promise.resolve();
    }
    if (previous.phase === 'running' && previous.run?.recordId === run.recordId) {
      record = { ...record, trainingMs: record.trainingMs + (now - Date.parse(record.updatedAt)) };
    }
    const document = withDocumentId(editor.getState().document);
    const revision = graphRevision(document, record.overrides);
    const graph = revision === run.program.revision ? { document, revision } : undefined;
    const samplesBefore = record.samples.length;
    record = recordedRun(record, run, state, graph, now);
    const urgent = state.phase !== previous.phase || record.samples.length !== samplesBefore;
    if (urgent) {
      if (timer !== undefined) clearTimeout(timer);
      write();
    } else {
      timer ??= setTimeout(write, WRITE_MS);
    }
  });
  return () => {
    unsubscribe();
    if (timer !== undefined) clearTimeout(timer);
  };
}
