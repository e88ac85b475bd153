import { useMemo } from 'react';
import { graphRevision } from '../../graph/revision';
import { compileGraph } from '../../runtime/compile';
import type { BackendChoice, OptimizerInfo } from '../../runtime/worker/protocol';
import { useEditor } from '../editorContext';
import { CommitInput } from '../forms/CommitInput';
import { BACKEND_NAMES } from './format';
import { effectiveOverrides, type TrainingSettings } from './settings';
import { useTraining, useTrainingActions } from './trainingContext';
import { shownRun } from './trainingSelectors';

/** The reference's learning-rate policy in words. */
export function describeSchedule(o: Pick<OptimizerInfo, 'constantSteps' | 'decaySteps'>): string {
  if (o.constantSteps === null) return 'constant';
  return `constant for ${o.constantSteps.toLocaleString()} steps, then linear to 0 over ${o.decaySteps.toLocaleString()}`;
}

function NumberSetting({
  label,
  name,
  hint,
}: {
  label: string;
  name: 'seed' | 'samplesEvery' | 'checkpointEvery' | 'qualityEvery' | 'memoryBudgetGiB';
  hint: string;
}) {
  const value = useTraining((s) => s.settings[name]);
  const actions = useTrainingActions();
  return (
    <label className="setting" title={hint}>
      <span>{label}</span>
      <CommitInput
        key={value}
        value={String(value)}
        inputMode="numeric"
        onCommit={(text) => {
          const n = Number(text);
          const fits =
            name === 'memoryBudgetGiB'
              ? n > 0 && n <= 1024
              : Number.isInteger(n) && n >= (name === 'seed' ? 0 : 1);
          if (fits) actions.setSettings({ [name]: n });
        }}
        data-testid={`setting-${name}`}
      />
    </label>
  );
}

/** How the run is set up, and the hyper-parameters the graph gives it. */
export function SettingsTab() {
  const doc = useEditor((s) => s.document);
  const settings = useTraining((s) => s.settings);
  const limits = useEditor((s) => s.limits);
  const program = useTraining((s) => shownRun(s)?.program ?? null);
  const backend = useTraining((s) => s.backend);
  const actions = useTrainingActions();
  const overrides = effectiveOverrides(doc, settings.overrides);
  const revision = graphRevision(doc, overrides);
  // What the graph as edited would train with; what trains, once loaded and unchanged.
  const planned = useMemo(() => {
    const compiled = compileGraph(doc, overrides, limits);
    return compiled.ok ? compiled.program : null;
    // The revision holds everything the program depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revision]);
  const live = program?.revision === revision;
  const optimizers: OptimizerInfo[] = live
    ? program.optimizers
    : (planned?.optimizers.map((o) => ({ ...o, label: o.id })) ?? []);
  const terms = live
    ? program.lossTerms
    : (planned?.nodes
        .filter((n) => n.behavior === 'loss')
        .map((n) => ({
          id: n.id,
          label: n.id,
          type: String(n.params.type),
          weight: Number(n.params.weight),
        })) ?? []);
  return (
    <div className="settings-tab">
      <section>
        <h3>Run</h3>
        <label className="setting">
          <span>Backend</span>
          <select
            value={settings.backend}
            onChange={(e) => void actions.setBackend(e.target.value as BackendChoice)}
            data-testid="backend-select"
          >
            <option value="auto">Automatic: WebGPU, then WebGL, then CPU</option>
            <option value="webgpu">WebGPU</option>
            <option value="webgl">WebGL</option>
            <option value="cpu">CPU</option>
          </select>
        </label>
        {backend && (
          <p className="muted small">
            Running on {BACKEND_NAMES[backend.backend] ?? backend.backend}
            {backend.adapter && ` (${backend.adapter})`}
            {backend.reason && `: ${backend.reason}`}
          </p>
        )}
        <NumberSetting
          label="Seed"
          name="seed"
          hint="Initial weights and data order of a new run"
        />
        <NumberSetting
          label="Samples every"
          name="samplesEvery"
          hint="Steps between sample images (and Preview thumbnails)"
        />
        <NumberSetting
          label="Checkpoint every"
          name="checkpointEvery"
          hint="Steps between checkpoints kept in this browser (one is also kept on pause)"
        />
        <NumberSetting
          label="Quality every"
          name="qualityEvery"
          hint="Steps between quality measurements on held-out data (digit classifier for MNIST, L1 to the true translations for the built-in scenes)"
        />
        <NumberSetting
          label="Memory budget (GiB)"
          name="memoryBudgetGiB"
          hint="What one training step may hold at its peak: graphs that need more are refused before they allocate anything"
        />
        <Overrides settings={settings} />
      </section>
      <section>
        <h3>
          Optimizers {live ? '' : <span className="muted small">(as the graph now says)</span>}
        </h3>
        <table className="hyper">
          <tbody>
            {optimizers.map((o) => (
              <tr key={o.id} data-testid={`hyper-${o.id}`}>
                <td>
                  <strong>{o.label}</strong>
                </td>
                <td>
                  {o.type === 'adam' ? 'Adam' : o.type} lr {o.lr.toExponential(1)}
                  {o.type === 'adam' && `, β ${o.beta1} / ${o.beta2}, ε ${o.eps}`}
                  {o.updates > 1 && `, ${o.updates} updates a step`}
                </td>
                <td className="muted">{describeSchedule(o)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>Loss terms</h3>
        <table className="hyper">
          <tbody>
            {terms.map((t) => (
              <tr key={t.id} data-testid={`loss-term-${t.id}`}>
                <td>
                  <strong>{t.label}</strong>
                </td>
                <td>{t.type}</td>
                <td>× {Number(t.weight.toPrecision(6))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">
          Change them in the graph (the Variables panel, or an Optimizer or Loss node): pressing Run
          then carries the trained weights over to the edited graph.
        </p>
      </section>
    </div>
  );
}

function Overrides({ settings }: { settings: TrainingSettings }) {
  const doc = useEditor((s) => s.document);
  const actions = useTrainingActions();
  const overrides = Object.entries(effectiveOverrides(doc, settings.overrides));
  if (overrides.length === 0) return null;
  return (
    <div className="overrides">
      <span className="muted small">Graph variables this run sets:</span>
      {overrides.map(([name, value]) => (
        <span key={name} className="chip" data-testid={`override-${name}`}>
          {name} {String(value)}
          <span className="muted"> (graph: {String(doc.variables[name]?.value)})</span>
          <button
            type="button"
            className="icon"
            aria-label={`Use the graph's ${name}`}
            title={`Use the graph's ${name}`}
            onClick={() => actions.removeOverride(name)}
          >
            ×
          </button>
        </span>
      ))}
    </div>
  );
}
