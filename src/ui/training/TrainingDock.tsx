import { useEffect, useState, type CSSProperties } from 'react';
import { describeStepMemory, formatBytes } from '../../graph/budget';
import { graphRevision } from '../../graph/revision';
import { useCheck } from '../derived';
import { useEditor } from '../editorContext';
import { CommitInput } from '../forms/CommitInput';
import { CheckpointsTab } from './CheckpointsTab';
import { DataTab } from './DataTab';
import { BackendBadge } from './BackendBadge';
import { DOCK_HEIGHT, DockResizer } from './DockResizer';
import { BACKEND_NAMES, formatAgo, formatDuration } from './format';
import { LossCharts } from './LossCharts';
import { QualityCharts } from './QualityChart';
import { ResultTab } from './ResultTab';
import { RunsTab, useRunRecorder } from '../runs/RunsTab';
import { SampleGrid } from './SampleGrid';
import { effectiveOverrides } from './settings';
import { SettingsTab } from './SettingsTab';
import { useTraining, useTrainingActions } from './trainingContext';
import {
  isRunning,
  keptForDocument,
  otherRunStep,
  resumeOffer,
  shownPhase,
  shownRun,
  shownStep,
  trained,
} from './trainingSelectors';
import type { Phase } from './trainingState';

const PHASE_TEXT: Record<Phase, string> = {
  idle: 'Ready',
  starting: 'Starting the worker…',
  loading: 'Compiling…',
  running: 'Training',
  pausing: 'Pausing…',
  paused: 'Paused',
  stopped: 'Stopped',
  failed: 'Stopped by an error',
};

/** What a step of the graph as edited needs, beside Run: where the user decides. */
function StepMemory() {
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const check = useCheck(doc, limits);
  if (!check.estimate) return null;
  const over = check.problems.some((p) => p.code === 'budget');
  return (
    <span
      className={`run-memory small${over ? ' over' : ' muted'}`}
      title="Estimated from the shapes: weights, optimizer slots, gradients, activations kept for the backward pass, image pools and the batch (the budget is in the Settings tab)"
      data-testid="run-memory"
    >
      {over ? 'Too large: ' : ''}
      {describeStepMemory(check.estimate, limits)}
    </span>
  );
}

function Controls() {
  const phase = useTraining(shownPhase);
  const busy = useTraining((s) => s.busy);
  const stepCount = useTraining((s) => s.settings.stepCount);
  const hasTrained = useTraining(trained);
  const actions = useTrainingActions();
  const running = phase === 'running' || phase === 'pausing';
  const waiting = busy !== null && busy !== 'pause';
  return (
    <div className="training-controls">
      <button
        type="button"
        className="primary run-button"
        disabled={running || waiting || phase === 'failed'}
        onClick={() => void actions.run()}
        title="Train until paused (or the target step)"
        data-testid="run"
      >
        ▶ {hasTrained && phase === 'paused' ? 'Continue' : 'Run'}
      </button>
      <button
        type="button"
        disabled={phase !== 'running'}
        onClick={() => void actions.pause()}
        title="Pause after this step; a checkpoint is kept"
        data-testid="pause"
      >
        ❚❚ Pause
      </button>
      <span className="step-group">
        <button
          type="button"
          disabled={running || waiting || phase === 'failed'}
          onClick={() => void actions.step()}
          title="Train this many steps, then pause"
          data-testid="step"
        >
          Step
        </button>
        <CommitInput
          key={stepCount}
          className="step-count"
          value={String(stepCount)}
          inputMode="numeric"
          aria-label="Steps the Step button takes"
          onCommit={(text) => {
            const n = Number(text);
            if (Number.isInteger(n) && n >= 1) actions.setSettings({ stepCount: n });
          }}
          data-testid="step-count"
        />
      </span>
      <button
        type="button"
        disabled={!hasTrained || waiting}
        onClick={() => void actions.stop()}
        title="End this run (its state is kept as a checkpoint); Run then starts a new one"
        data-testid="stop"
      >
        ■ Stop
      </button>
    </div>
  );
}

function Target() {
  const target = useTraining((s) => s.settings.target);
  const actions = useTrainingActions();
  return (
    <label className="target" title="Pause when training reaches this step (empty: run on)">
      to step
      <CommitInput
        key={String(target)}
        value={target === null ? '' : String(target)}
        placeholder="∞"
        inputMode="numeric"
        onCommit={(text) => {
          const n = Number(text);
          if (text.trim() === '') actions.setSettings({ target: null });
          else if (Number.isInteger(n) && n >= 1) actions.setSettings({ target: n });
        }}
        data-testid="target"
      />
    </label>
  );
}

function Stats() {
  const phase = useTraining(shownPhase);
  const step = useTraining(shownStep);
  const target = useTraining((s) => s.settings.target);
  const speed = useTraining((s) => shownRun(s)?.throughput.stepsPerSecond ?? null);
  const memory = useTraining((s) => shownRun(s)?.memoryBytes ?? null);
  const offer = useTraining(resumeOffer);
  const onGpu = useTraining(
    (s) => s.backend?.backend === 'webgpu' || s.backend?.backend === 'webgl',
  );
  if (offer) return <ResumeOffer step={offer.step} savedAt={offer.savedAt} />;
  const left =
    phase === 'running' && target !== null && speed ? (target - step) / speed : undefined;
  return (
    <div className="training-stats">
      <span className={`phase phase-${phase}`} data-testid="training-phase">
        {PHASE_TEXT[phase]}
      </span>
      <span>
        step <strong data-testid="training-step">{step.toLocaleString()}</strong>
        {target !== null && <span className="muted"> / {target.toLocaleString()}</span>}
      </span>
      <span title="Steps per second, over the last seconds" data-testid="steps-per-second">
        {speed !== null && phase === 'running'
          ? `${speed.toFixed(speed < 10 ? 2 : 1)} steps/s`
          : ''}
      </span>
      {left !== undefined && left > 0 && (
        <span title="Until the target step, at this speed">{formatDuration(left)} left</span>
      )}
      {memory !== null && (
        <span title="Memory held by tensors (on the GPU for WebGPU and WebGL)" data-testid="memory">
          {formatBytes(memory)}
          {onGpu ? ' on the GPU' : ''}
        </span>
      )}
    </div>
  );
}

/** After a reload, or after another graph trained: the kept checkpoint, to go on from. */
function ResumeOffer({ step, savedAt }: { step: number; savedAt: string }) {
  const actions = useTrainingActions();
  const busy = useTraining((s) => s.busy);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div className="training-stats">
      <button
        type="button"
        className="primary"
        disabled={busy !== null}
        onClick={() => void actions.resumeSaved()}
        title="Continue training this graph from the checkpoint kept in this browser"
        data-testid="resume-kept"
      >
        Resume from step {step.toLocaleString()} (saved {formatAgo(Date.parse(savedAt), now)})
      </button>
    </div>
  );
}

/** What the panel has to say: the first run's settings, a fallback, a failure, a refusal. */
function Notes() {
  const doc = useEditor((s) => s.document);
  const settings = useTraining((s) => s.settings);
  const backend = useTraining((s) => s.backend);
  const failure = useTraining((s) => s.failure);
  const refusal = useTraining((s) => s.refusal);
  const notice = useTraining((s) => s.notice);
  const saved = useTraining(keptForDocument);
  const running = useTraining(isRunning);
  const program = useTraining((s) => shownRun(s)?.program ?? null);
  const other = useTraining(otherRunStep);
  const actions = useTrainingActions();
  const overrides = effectiveOverrides(doc, settings.overrides);
  const edited = running && program !== null && program.revision !== graphRevision(doc, overrides);
  return (
    <div className="training-notes">
      {other !== null && (
        <div className="note note-info" data-testid="other-run">
          The graph open before is still training (step {other.toLocaleString()}): Run trains this
          one instead.
        </div>
      )}
      {edited && (
        <div className="note note-info" data-testid="edited-while-running">
          The graph was edited: this run goes on with the graph it started with. Pause, then
          Continue, to train the edited graph.
        </div>
      )}
      {backend?.reason && (
        <div className="note note-warning" data-testid="backend-reason">
          {BACKEND_NAMES[backend.backend] ?? backend.backend}, not a faster backend:{' '}
          {backend.reason}
        </div>
      )}
      {failure && (
        <div className="note note-error" role="alert" data-testid="training-failure">
          {failure.message}{' '}
          {failure.next && (
            <button
              type="button"
              className="primary"
              onClick={() => void actions.recover()}
              data-testid="recover"
            >
              Resume on {BACKEND_NAMES[failure.next]}
              {saved ? ` from step ${saved.step}` : ''}
            </button>
          )}
        </div>
      )}
      {refusal && (
        <div className="note note-error" data-testid="training-refusal">
          {refusal.charAt(0).toUpperCase() + refusal.slice(1)}.{' '}
          <button type="button" onClick={() => void actions.startOver()}>
            Start over with the edited graph
          </button>{' '}
          <button type="button" onClick={actions.dismissRefusal}>
            Dismiss
          </button>
        </div>
      )}
      {notice && (
        <div className={`note note-${notice.tone}`} data-testid="training-notice">
          {notice.text}
          <button
            type="button"
            className="icon"
            aria-label="Dismiss"
            onClick={actions.dismissNotice}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}

const TABS = [
  ['progress', 'Progress'],
  ['data', 'Data'],
  ['settings', 'Settings'],
  ['checkpoints', 'Checkpoints'],
  ['result', 'Use the result'],
  ['runs', 'Runs'],
] as const;
type Tab = (typeof TABS)[number][0];

/** The training panel under the canvas: controls always, progress and the rest when open. */
export function TrainingDock() {
  const open = useTraining((s) => s.settings.dockOpen);
  const kept = useTraining((s) => s.settings.dockHeight);
  const actions = useTrainingActions();
  const [tab, setTab] = useState<Tab>('progress');
  useRunRecorder();
  const [dragged, setDragged] = useState<number | null>(null);
  const height = dragged ?? kept ?? DOCK_HEIGHT;
  return (
    <section
      className={`training-dock${open ? ' open' : ''}`}
      style={{ '--dock-height': `${height}px` } as CSSProperties}
      data-testid="training"
    >
      {open && (
        <DockResizer
          height={height}
          onResize={setDragged}
          onResized={(h) => {
            setDragged(null);
            actions.setSettings({ dockHeight: h });
          }}
        />
      )}
      <header className="training-bar">
        <button
          type="button"
          className="icon dock-toggle"
          aria-expanded={open}
          aria-label={open ? 'Collapse the training panel' : 'Expand the training panel'}
          onClick={() => actions.setSettings({ dockOpen: !open })}
          data-testid="dock-toggle"
        >
          {open ? '▾' : '▸'}
        </button>
        <h2>Training</h2>
        <Controls />
        <Target />
        <StepMemory />
        <Stats />
        <BackendBadge />
      </header>
      <Notes />
      {open && (
        <div className="training-body">
          <nav className="tabs" role="tablist">
            {TABS.map(([id, label]) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                className={tab === id ? 'active' : ''}
                onClick={() => setTab(id)}
                data-testid={`tab-${id}`}
              >
                {label}
              </button>
            ))}
          </nav>
          <div className="tab-content" role="tabpanel">
            {tab === 'progress' && (
              <div className="progress-tab">
                <LossCharts />
                <QualityCharts />
                <SampleGrid />
              </div>
            )}
            {tab === 'data' && <DataTab />}
            {tab === 'settings' && <SettingsTab />}
            {tab === 'checkpoints' && <CheckpointsTab />}
            {tab === 'result' && <ResultTab />}
            {tab === 'runs' && <RunsTab />}
          </div>
        </div>
      )}
    </section>
  );
}
