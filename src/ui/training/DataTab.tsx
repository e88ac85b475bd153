import { useMemo, useRef, useState, type DragEvent } from 'react';
import { setParam } from '../../graph/edits';
import { BUILTIN_DATASETS } from '../../runtime/data/builtin';
import { testPairsText } from '../../runtime/data/testPairs';
import { useCheck } from '../derived';
import { useActions, useEditor } from '../editorContext';
import { domainPicks, droppedDataset, pickedDataset } from './droppedFiles';
import { documentAsTrained } from './samples';
import { effectiveOverrides } from './settings';
import { useTraining, useTrainingActions } from './trainingContext';
import type { DatasetView } from './trainingState';

const BUILTIN_SOURCES = Object.keys(BUILTIN_DATASETS).map((name) => `builtin:${name}`);

/** The Dataset nodes of the graph: where each reads from, and the params that shape its images. */
function DatasetNodes() {
  const doc = useEditor((s) => s.document);
  const editor = useActions();
  const limits = useEditor((s) => s.limits);
  const overrides = useTraining((s) => s.settings.overrides);
  const datasets = useTraining((s) => s.datasets);
  // With no override the run trains the document itself, whose check the editor has made.
  const trained = useMemo(() => {
    const effective = effectiveOverrides(doc, overrides);
    return Object.keys(effective).length === 0 ? doc : documentAsTrained(doc, effective);
  }, [doc, overrides]);
  const resolved = useCheck(trained, limits).graph?.nodes;
  const nodes = doc.nodes.filter((n) => n.kind === 'Dataset');
  if (nodes.length === 0) return <p className="muted">This graph has no Dataset node.</p>;
  return (
    <table className="dataset-nodes">
      <thead>
        <tr>
          <th>Node</th>
          <th>Source</th>
          <th title="Images are resized to this, then cropped">Load</th>
          <th title="Crop fed to the networks">Crop</th>
          <th>Flip</th>
          <th>Batch</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {nodes.map((node) => {
          const params = resolved?.find((n) => n.id === node.id)?.params ?? {};
          const source = String(params.source ?? node.params?.source ?? 'builtin:daynight');
          const sources = [
            ...BUILTIN_SOURCES,
            ...datasets.filter((d) => d.status === 'ready').map((d) => d.source),
          ];
          if (!sources.includes(source)) sources.push(source);
          return (
            <tr key={node.id} data-testid={`dataset-node-${node.id}`}>
              <td>
                <strong>{node.label ?? node.id}</strong>
              </td>
              <td>
                <select
                  value={source}
                  onChange={(e) =>
                    editor.applyToDocument((d) => setParam(d, node.id, 'source', e.target.value))
                  }
                  data-testid={`dataset-source-${node.id}`}
                >
                  {sources.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </td>
              <td>{String(params.loadSize ?? params.size ?? '–')}</td>
              <td>{String(params.size ?? '–')}</td>
              <td>{params.flip ? 'yes' : 'no'}</td>
              <td>{String(params.batchSize ?? '–')}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  onClick={() => editor.focusNode(node.id)}
                  title={`Edit load size, crop size, flip and batch size of ${node.id} in the inspector`}
                >
                  Edit
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function DatasetReport({ dataset }: { dataset: DatasetView }) {
  return (
    <li className={`dataset dataset-${dataset.status}`} data-testid={`dataset-${dataset.name}`}>
      <div className="dataset-head">
        <strong>{dataset.name}</strong>
        <code className="muted">{dataset.source}</code>
        <span className="dataset-status" data-testid="dataset-status">
          {dataset.status === 'reading'
            ? dataset.progress
              ? `reading ${dataset.progress.done} / ${dataset.progress.total}`
              : 'reading…'
            : dataset.status === 'ready'
              ? (dataset.summary ?? 'ready')
              : 'not loaded'}
        </span>
      </div>
      {dataset.message && <div className="field-error">{dataset.message}</div>}
      {dataset.report && dataset.report.skipped.length > 0 && (
        <ul className="skipped" data-testid="dataset-skipped">
          {dataset.report.skipped.map((s) => (
            <li key={s.path}>
              <code>{s.path}</code> skipped: {s.reason}
            </li>
          ))}
        </ul>
      )}
      {dataset.report?.testPairs && (
        <div className="muted small" data-testid="dataset-test-pairs">
          {testPairsText(dataset.report.testPairs)}
        </div>
      )}
      {dataset.report && dataset.report.ignored.length > 0 && (
        <div className="muted small">
          {dataset.report.ignored.length} other file{dataset.report.ignored.length === 1 ? '' : 's'}{' '}
          ignored (not in trainA/, trainB/, testA/, testB/, or not images)
        </div>
      )}
    </li>
  );
}

/** Bring your own data: a folder or zip dropped or picked, or images picked per domain. */
export function DataTab() {
  const actions = useTrainingActions();
  const datasets = useTraining((s) => s.datasets);
  const [over, setOver] = useState(false);
  const [picks, setPicks] = useState<{ A: File[]; B: File[] }>({ A: [], B: [] });
  const folderInput = useRef<HTMLInputElement>(null);
  const zipInput = useRef<HTMLInputElement>(null);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void droppedDataset(event.dataTransfer).then(({ name, files }) =>
      actions.addDataset(name, files),
    );
  };
  const pick = (domain: 'A' | 'B', list: FileList | null) => {
    const next = { ...picks, [domain]: [...(list ?? [])] };
    setPicks(next);
    if (next.A.length > 0 && next.B.length > 0) {
      const { name, files } = domainPicks(next.A, next.B);
      void actions.addDataset(name, files);
    }
  };

  return (
    <div className="data-tab">
      <section>
        <h3>Dataset nodes</h3>
        <DatasetNodes />
        <p className="muted small">
          The built-in <code>builtin:daynight</code> needs no set-up: procedural landscapes by day
          (A) and by night (B).
        </p>
      </section>
      <section>
        <h3>Your images</h3>
        <div
          className={`drop-zone${over ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
          data-testid="dataset-drop"
        >
          <div>
            Drop a folder or a <code>.zip</code> laid out as <code>trainA/</code>,{' '}
            <code>trainB/</code> (<code>testA/</code>, <code>testB/</code> optional).
          </div>
          <div className="muted small">
            PNG and JPEG; read and resized in the worker; unreadable files are skipped and listed.
          </div>
          <div className="button-row">
            <button type="button" onClick={() => folderInput.current?.click()}>
              Choose a folder…
            </button>
            <button type="button" onClick={() => zipInput.current?.click()}>
              Choose a zip…
            </button>
            {(['A', 'B'] as const).map((domain) => (
              <label className="file-button" key={domain}>
                Images for {domain}
                {picks[domain].length > 0 && ` (${picks[domain].length})`}…
                <input
                  type="file"
                  accept="image/png,image/jpeg"
                  multiple
                  onChange={(e) => pick(domain, e.target.files)}
                  data-testid={`dataset-pick-${domain}`}
                />
              </label>
            ))}
          </div>
          <input
            ref={folderInput}
            type="file"
            hidden
            {...{ webkitdirectory: '', directory: '' }}
            onChange={(e) => {
              const list = e.target.files;
              if (list && list.length > 0) {
                const { name, files } = pickedDataset(list);
                void actions.addDataset(name, files);
              }
              e.target.value = '';
            }}
            data-testid="dataset-folder-input"
          />
          <input
            ref={zipInput}
            type="file"
            hidden
            accept=".zip,application/zip"
            onChange={(e) => {
              const list = e.target.files;
              if (list && list.length > 0) {
                const { name, files } = pickedDataset(list);
                void actions.addDataset(name, files);
              }
              e.target.value = '';
            }}
            data-testid="dataset-zip-input"
          />
        </div>
        {datasets.length > 0 && (
          <ul className="datasets">
            {datasets.map((d) => (
              <DatasetReport key={d.source} dataset={d} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
