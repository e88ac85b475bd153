import { useRef } from 'react';
import { formatBytes } from './format';
import { useTraining, useTrainingActions } from './trainingContext';

/** Checkpoints: kept in this browser automatically, downloadable and openable as one file. */
export function CheckpointsTab() {
  const saved = useTraining((s) => s.saved);
  const every = useTraining((s) => s.settings.checkpointEvery);
  const phase = useTraining((s) => s.phase);
  const step = useTraining((s) => s.step);
  const loaded = useTraining((s) => s.ready);
  const actions = useTrainingActions();
  const input = useRef<HTMLInputElement>(null);
  const running = phase === 'running' || phase === 'pausing';
  return (
    <div className="checkpoints-tab">
      <section>
        <h3>Kept in this browser</h3>
        {saved ? (
          <div className="saved-checkpoint" data-testid="saved-checkpoint">
            <div>
              <strong>Step {saved.step.toLocaleString()}</strong> of {saved.graphName}
              <span className="muted">
                {' '}
                · {new Date(saved.savedAt).toLocaleString()} · {formatBytes(saved.bytes)} · trained
                on {saved.backend}
              </span>
            </div>
            <div className="button-row">
              <button
                type="button"
                className="primary"
                disabled={running}
                onClick={() => void actions.resumeSaved()}
                data-testid="resume-saved"
                title="Continue training the graph on the canvas from this checkpoint"
              >
                Resume from step {saved.step.toLocaleString()}
              </button>
            </div>
          </div>
        ) : (
          <p className="muted">None yet.</p>
        )}
        <p className="muted small">
          A checkpoint is kept every {every} steps and on pause: the graph, every network&apos;s
          weights, every optimizer&apos;s state, the step (and so the learning-rate schedule), the
          image pools and the random state, so that a resumed run goes on exactly as it would have.
        </p>
      </section>
      <section>
        <h3>As a file</h3>
        <div className="button-row">
          <button
            type="button"
            disabled={running || (!saved && !(loaded && step > 0))}
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
            accept=".safetensors"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void actions.openCheckpoint(file);
            }}
            data-testid="open-checkpoint-input"
          />
        </div>
        <p className="muted small">
          One .safetensors file. Opening one continues the graph on the canvas from it; a checkpoint
          of another graph, or a damaged one, is refused with the reason.
        </p>
      </section>
    </div>
  );
}
