/**
 * Every run kept in this browser, of every document, newest first: pick two or more to compare,
 * pin one to keep its samples, delete, open the graph it trained, export it as a file; import a
 * run file or a training log.
 */
import { useCallback, useEffect, useState } from 'react';
import { withDocumentId } from '../../graph/document';
import { useActions, useEditor, useEditorStore } from '../editorContext';
import { downloadBlob, fileStemFor } from '../persistence';
import { formatDuration } from '../training/format';
import { effectiveOverrides } from '../training/settings';
import { useTraining, useTrainingStore } from '../training/trainingContext';
import { CompareView } from './CompareView';
import { importRunInWorker, runFileInWorker } from './runFilesInWorker';
import { latestGraph, type RunRecord } from './runRecord';
import { recordRuns } from './runRecorder';
import { keepRun, newestFirst, runStorage, RUN_STORAGE_BUDGET } from './runStore';
import './runs.css';

/** Records the panel's runs for as long as the dock is on the page. */
export function useRunRecorder(): void {
  const training = useTrainingStore();
  const editor = useEditorStore();
  useEffect(() => recordRuns(training, editor), [training, editor]);
}

/** The runs kept, read again whenever the panel's run moves on. */
function useKeptRuns(): [RunRecord[], () => void] {
  const [runs, setRuns] = useState<RunRecord[]>([]);
  const reload = useCallback(() => {
    void runStorage()
      .list()
      .then((all) => setRuns(newestFirst(all)));
  }, []);
  const step = useTraining((s) => s.run?.step ?? 0);
  const phase = useTraining((s) => s.phase);
  useEffect(() => {
    // The recorder writes a moment after the event: read after it.
    const timer = setTimeout(reload, 300);
    return () => clearTimeout(timer);
  }, [reload, step, phase]);
  return [runs, reload];
}

function runTitle(r: RunRecord): string {
  return `${r.graphName} · ${new Date(r.startedAt).toLocaleString()}`;
}

async function exportRun(record: RunRecord, withCheckpoint: boolean): Promise<void> {
  const file = await runFileInWorker(record.id, withCheckpoint);
  if (!file) return;
  const graph = latestGraph(record);
  const stem = graph ? fileStemFor(graph) : 'run';
  downloadBlob(file, `${stem}-step${record.step}.ganvas-run.json`);
}

export function RunsTab() {
  const [runs, reload] = useKeptRuns();
  const [picked, setPicked] = useState<string[]>([]);
  const [withCheckpoint, setWithCheckpoint] = useState(false);
  const actions = useActions();
  const doc = useEditor((s) => s.document);
  const overrides = useTraining((s) => s.settings.overrides);
  const current = useTraining((s) => s.run?.recordId);

  const change = async (work: () => Promise<unknown>) => {
    await work();
    reload();
  };
  const importFile = async (file: File) => {
    const document = withDocumentId(doc);
    const read = await importRunInWorker(
      file,
      document,
      effectiveOverrides(document, overrides),
    ).catch((e: unknown) => ({ ok: false as const, message: (e as Error).message }));
    if (!read.ok) {
      actions.notify(`${file.name}: ${read.message}`, 'error');
      return;
    }
    await change(() => keepRun(read.record));
    if (read.checkpoint) {
      actions.notify(
        `${file.name}: the run is in the list. It carries its checkpoint: to train on from it, open the run's graph (Open graph), then this same file with Checkpoints → Open checkpoint…`,
      );
    }
  };
  const toggle = (id: string) =>
    setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]));
  const compared = picked.flatMap((id) => runs.find((r) => r.id === id) ?? []);

  return (
    <div className="runs-tab" data-testid="runs">
      <div className="runs-head">
        <span className="muted small">
          Every run is kept in this browser (samples within {RUN_STORAGE_BUDGET / 2 ** 20} MiB, the
          oldest thinned first; pinned runs keep theirs). Pick two or more to compare.
        </span>
        <label className="small">
          <input
            type="checkbox"
            checked={withCheckpoint}
            onChange={(e) => setWithCheckpoint(e.target.checked)}
          />{' '}
          Export with the checkpoint
        </label>
        <label
          className="button small"
          title="A run file, or a training log (JSON lines) of the graph open now"
        >
          Import…
          <input
            type="file"
            accept=".json,.jsonl,application/json"
            hidden
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
            data-testid="run-import"
          />
        </label>
      </div>
      {runs.length === 0 && (
        <div className="training-empty">No runs yet: Run or Step trains one.</div>
      )}
      <table className="runs-list">
        <tbody>
          {runs.map((r) => (
            <tr
              key={r.id}
              data-testid="run-row"
              data-run={r.id}
              className={r.id === current ? 'current' : undefined}
            >
              <td>
                <input
                  type="checkbox"
                  checked={picked.includes(r.id)}
                  onChange={() => toggle(r.id)}
                  aria-label={`Compare ${runTitle(r)}`}
                  data-testid="run-pick"
                />
              </td>
              <td>
                <strong>{r.graphName}</strong>
                <div className="muted small">
                  {new Date(r.startedAt).toLocaleString()} ·{' '}
                  {r.origin === 'browser' ? r.backend : r.origin}
                  {r.checkpoint ? ` · checkpoint at ${r.checkpoint.step}` : ''}
                </div>
              </td>
              <td className="count" data-testid="run-steps">
                {r.step.toLocaleString()} steps
              </td>
              <td className="count muted">{formatDuration(r.trainingMs / 1000)}</td>
              <td className="muted small">{r.samples.length} samples</td>
              <td className="run-actions">
                <button
                  type="button"
                  className={r.pinned ? 'active' : ''}
                  aria-pressed={r.pinned}
                  title="A pinned run keeps all its samples"
                  onClick={() => void change(() => keepRun({ ...r, pinned: !r.pinned }))}
                >
                  {r.pinned ? 'Pinned' : 'Pin'}
                </button>
                <button
                  type="button"
                  disabled={!latestGraph(r)}
                  title="Open the graph this run trained"
                  onClick={() =>
                    actions.replaceDocument(
                      latestGraph(r)!,
                      `Opened the graph of run ${runTitle(r)}`,
                    )
                  }
                  data-testid="run-open"
                >
                  Open graph
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void exportRun(r, withCheckpoint).catch((e: unknown) =>
                      actions.notify(
                        `The run could not be exported: ${(e as Error).message}`,
                        'error',
                      ),
                    )
                  }
                  data-testid="run-export"
                >
                  Export
                </button>
                <button
                  type="button"
                  onClick={() => {
                    setPicked((p) => p.filter((x) => x !== r.id));
                    void change(() => runStorage().delete(r.id));
                  }}
                  data-testid="run-delete"
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {compared.length >= 2 && <CompareView runs={compared} />}
    </div>
  );
}
