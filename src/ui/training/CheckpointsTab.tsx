import { useRef } from 'react';
import { withVariableValues } from '../../graph/edits';
import { formatBytes } from '../../graph/budget';
import { withDocumentId } from '../../graph/document';
import { readCheckpoint } from '../../runtime/checkpoint';
import { keptCheckpoint } from '../../runtime/worker/checkpointStore';
import type { SavedCheckpointInfo } from '../../runtime/worker/protocol';
import { useActions } from '../editorContext';
import type { EditorActions } from '../store';
import { useTraining, useTrainingActions } from './trainingContext';
import { isRunning, keptCheckpoints, trained } from './trainingSelectors';
import type { TrainingActions } from './trainingState';

/**
 * Opens another document's kept checkpoint: the graph it trained, as a document of its own (the
 * document it came from, edited since or gone, is left as it is), paused at the checkpoint's step.
 */
export async function openKeptCheckpoint(
  info: SavedCheckpointInfo,
  editor: EditorActions,
  training: Pick<TrainingActions, 'openCheckpoint'>,
  read: (documentId: string) => Promise<{ bytes: Uint8Array } | undefined> = keptCheckpoint,
): Promise<void> {
  const kept = await read(info.documentId);
  if (!kept) {
    editor.notify('That checkpoint is no longer kept in this browser', 'error');
    return;
  }
  let checkpoint;
  try {
    checkpoint = readCheckpoint(kept.bytes);
  } catch (e) {
    editor.notify(`That checkpoint could not be read: ${(e as Error).message}`, 'error');
    return;
  }
  const { id: _, ...graph } = withVariableValues(checkpoint.document, checkpoint.overrides);
  const name = `${graph.name} (step ${info.step})`;
  editor.replaceDocument(
    withDocumentId({ ...graph, name }),
    `Opened ${name}, the graph of a kept checkpoint`,
  );
  const file = new File([kept.bytes as BlobPart], `${info.graphName}-step${info.step}.safetensors`);
  await training.openCheckpoint(file);
}

/** A kept checkpoint: this document's can be resumed, every one downloaded. */
function KeptCheckpoint({ info, current }: { info: SavedCheckpointInfo; current: boolean }) {
  const running = useTraining(isRunning);
  const busy = useTraining((s) => s.busy !== null && s.busy !== 'pause');
  const actions = useTrainingActions();
  const editor = useActions();
  return (
    <li
      className="saved-checkpoint"
      data-testid={current ? 'saved-checkpoint' : `kept-checkpoint-${info.documentId}`}
    >
      <div>
        <strong>Step {info.step.toLocaleString()}</strong> of {info.graphName}
        {current && <span className="muted"> (the graph on the canvas)</span>}
        <span className="muted">
          {' '}
          · {new Date(info.savedAt).toLocaleString()} · {formatBytes(info.bytes)} · trained on{' '}
          {info.backend}
        </span>
      </div>
      <div className="button-row">
        {current && (
          <button
            type="button"
            className="primary"
            disabled={running || busy}
            onClick={() => void actions.resumeSaved()}
            data-testid="resume-saved"
            title="Continue training the graph on the canvas from this checkpoint"
          >
            Resume from step {info.step.toLocaleString()}
          </button>
        )}
        {!current && (
          <button
            type="button"
            disabled={running || busy}
            onClick={() => void openKeptCheckpoint(info, editor, actions)}
            data-testid={`open-kept-${info.documentId}`}
            title="Open the graph this checkpoint trained, as a graph of its own, paused at its step"
          >
            Open its graph
          </button>
        )}
        <button
          type="button"
          disabled={running || busy}
          onClick={() => void actions.downloadCheckpoint(info.documentId)}
          title="This checkpoint as a .safetensors file"
          data-testid={current ? 'download-saved' : undefined}
        >
          Download
        </button>
      </div>
    </li>
  );
}

/**
 * Checkpoints: kept in this browser automatically, one per graph, every graph's listed; each
 * downloadable, another graph's openable with its graph.
 */
export function CheckpointsTab() {
  const kept = useTraining((s) => s.kept);
  const documentId = useTraining((s) => s.documentId);
  const every = useTraining((s) => s.settings.checkpointEvery);
  const running = useTraining(isRunning);
  const hasTrained = useTraining(trained);
  const actions = useTrainingActions();
  const input = useRef<HTMLInputElement>(null);
  const checkpoints = keptCheckpoints(kept, documentId);
  const own = kept[documentId] !== undefined;
  return (
    <div className="checkpoints-tab">
      <section>
        <h3>Kept in this browser</h3>
        {checkpoints.length > 0 ? (
          <ul className="kept-checkpoints">
            {checkpoints.map((info) => (
              <KeptCheckpoint
                key={info.documentId}
                info={info}
                current={info.documentId === documentId}
              />
            ))}
          </ul>
        ) : (
          <p className="muted">None yet.</p>
        )}
        <p className="muted small">
          A checkpoint is kept for each graph every {every} steps and on pause: the graph, every
          network&apos;s weights, every optimizer&apos;s state, the step (and so the learning-rate
          schedule), the image pools and the random state, so that a resumed run goes on exactly as
          it would have.
        </p>
      </section>
      <section>
        <h3>As a file</h3>
        <div className="button-row">
          <button
            type="button"
            disabled={running || (!own && !hasTrained)}
            onClick={() => void actions.downloadCheckpoint()}
            data-testid="download-checkpoint"
          >
            Download checkpoint
          </button>
          <button
            type="button"
            disabled={running}
            onClick={() => input.current?.click()}
            data-testid="open-checkpoint"
          >
            Open checkpoint…
          </button>
          <input
            ref={input}
            type="file"
            hidden
            accept=".safetensors,.json"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void actions.openCheckpoint(file);
            }}
            data-testid="open-checkpoint-input"
          />
        </div>
        <p className="muted small">
          One .safetensors file, or a run file exported with its checkpoint. Opening one continues
          the graph on the canvas from it; a checkpoint of another graph, or a damaged one, is
          refused with the reason.
        </p>
      </section>
    </div>
  );
}
