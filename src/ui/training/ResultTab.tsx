import { useRef, useState, type DragEvent } from 'react';
import { useEditorStore } from '../editorContext';
import { downloadBlob, fileStemFor } from '../persistence';
import { ImageCanvas } from './SampleGrid';
import { effectiveOverrides } from './settings';
import { pytorchProjectInWorker } from './pytorchExport';
import { useTraining, useTrainingActions } from './trainingContext';
import { isRunning, shownRun, shownStep } from './trainingSelectors';

/** Use what was trained: translate an image with a generator, export a generator for tfjs. */
export function ResultTab() {
  const program = useTraining((s) => {
    const run = shownRun(s);
    return run?.ready ? run.program : null;
  });
  const translation = useTraining((s) => s.translation);
  const busy = useTraining((s) => s.busy);
  const running = useTraining(isRunning);
  const step = useTraining(shownStep);
  const actions = useTrainingActions();
  const generators = program?.networks.filter((n) => n.role === 'generator') ?? [];
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const editor = useEditorStore();
  const settingsOverrides = useTraining((s) => s.settings.overrides);
  const [pytorch, setPytorch] = useState<{
    busy: boolean;
    refused?: string;
    progress?: { written: number; total: number };
  }>({ busy: false });
  const networkId = generators.some((g) => g.id === chosen) ? chosen! : generators[0]?.id;

  if (!program || !networkId) {
    return (
      <div className="training-empty">
        Train (or resume from a checkpoint) first: then translate your own images with any trained
        generator, and export one for TensorFlow.js.
      </div>
    );
  }
  const translate = (file: File | undefined) => {
    if (file) void actions.translate(networkId, file);
  };
  /**
   * The graph as a PyTorch project (its built-in data included), as `ganvas export` writes it,
   * made in a worker: its images take seconds to render, which would freeze the page.
   */
  const exportPyTorch = async () => {
    setPytorch({ busy: true });
    try {
      const doc = editor.getState().document;
      const stem = fileStemFor(doc);
      let shown = 0;
      const zip = await pytorchProjectInWorker(
        doc,
        effectiveOverrides(doc, settingsOverrides),
        `${stem}-pytorch`,
        (written, total) => {
          // A hundred updates at most, whatever the number of images.
          if (written < total && written - shown < total / 100) return;
          shown = written;
          setPytorch({ busy: true, progress: { written, total } });
        },
      );
      downloadBlob(new Blob([zip as BlobPart], { type: 'application/zip' }), `${stem}-pytorch.zip`);
      setPytorch({ busy: false });
    } catch (e) {
      setPytorch({ busy: false, refused: (e as Error).message });
    }
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    translate(event.dataTransfer.files[0]);
  };
  return (
    <div className="result-tab">
      <section>
        <h3>Generator</h3>
        <select
          value={networkId}
          onChange={(e) => setChosen(e.target.value)}
          data-testid="result-network"
        >
          {generators.map((g) => (
            <option key={g.id} value={g.id}>
              {g.label} ({g.inputShape.slice(1).join('×')})
            </option>
          ))}
        </select>
        <p className="muted small">Its weights at step {step.toLocaleString()}.</p>
        <h3>Export</h3>
        <button
          type="button"
          disabled={running || busy === 'export'}
          onClick={() => void actions.exportNetwork(networkId)}
          data-testid="export-network"
        >
          Export {networkId} for TensorFlow.js
        </button>
        <p className="muted small">
          A zip of <code>model.json</code> and <code>weights.bin</code>: a graph model that plain{' '}
          <code>tf.loadGraphModel</code> loads, input NHWC in [-1, 1], any batch size.
        </p>
        <button
          type="button"
          disabled={pytorch.busy}
          onClick={() => void exportPyTorch()}
          data-testid="export-pytorch"
        >
          PyTorch project (zip)
        </button>
        <p className="muted small">
          The whole graph as a PyTorch program: <code>model.py</code>, <code>train.py</code> (the
          same training step; one GPU or many with <code>torchrun</code>), <code>data.py</code> and
          the built-in data. Its checkpoints load back here.
        </p>
        {pytorch.busy && (
          <p className="muted small" data-testid="export-pytorch-progress">
            {pytorch.progress
              ? `Writing the built-in data: ${pytorch.progress.written.toLocaleString()} of ${pytorch.progress.total.toLocaleString()} images`
              : 'Making the project…'}
          </p>
        )}
        {pytorch.refused && (
          <p className="error small" data-testid="export-pytorch-refused">
            Cannot export: {pytorch.refused}
          </p>
        )}
      </section>
      <section>
        <h3>Translate an image</h3>
        <div
          className={`drop-zone compact${over ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={onDrop}
          data-testid="translate-drop"
        >
          Drop a PNG or JPEG here, or{' '}
          <button type="button" className="link" onClick={() => input.current?.click()}>
            choose one
          </button>
          : {networkId} translates it, resized to{' '}
          {generators
            .find((g) => g.id === networkId)
            ?.inputShape.slice(1, 3)
            .join('×')}
          .
          <input
            ref={input}
            type="file"
            hidden
            accept="image/png,image/jpeg"
            onChange={(e) => {
              translate(e.target.files?.[0]);
              e.target.value = '';
            }}
            data-testid="translate-input"
          />
        </div>
        {busy === 'translate' && <div className="muted small">Translating…</div>}
        {translation && (
          <div className="translation" data-testid="translation">
            <figure>
              <ImageCanvas image={translation.input} size={128} />
              <figcaption>input</figcaption>
            </figure>
            <span className="arrow">→</span>
            <figure>
              <ImageCanvas image={translation.output} size={128} testId="translation-output" />
              <figcaption>{translation.output.label}</figcaption>
            </figure>
          </div>
        )}
      </section>
    </div>
  );
}
