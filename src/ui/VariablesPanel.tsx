import { useState } from 'react';
import type { VariableDocument } from '../graph/document';
import { removeVariable, setVariable } from '../graph/edits';
import { VARIABLE_NAME, VARIABLE_NAME_RULE } from '../graph/expression';
import { coerceVariable } from '../graph/variables';
import { checkFor } from './derived';
import { useActions, useEditor } from './editorContext';
import { CommitInput } from './forms/CommitInput';
import { QUICK_STARTS, referenceValues } from './quickStart';
import { TEMPLATES } from './templates';
import { useTraining, useTrainingActions } from './training/trainingContext';
import './VariablesPanel.css';

/** A value the training run sets over the graph's. */
function RunOverride({ name, value }: { name: string; value: VariableDocument['value'] }) {
  const override = useTraining((s) => s.settings.overrides[name]);
  const training = useTrainingActions();
  if (override === undefined || typeof override !== typeof value) return null;
  return (
    <div className="variable-override" data-testid={`variable-override-${name}`}>
      training runs with {String(override)}
      <button
        type="button"
        className="icon"
        title={`Train with the graph's ${name} (${String(value)})`}
        aria-label={`Train with the graph's ${name}`}
        onClick={() => training.removeOverride(name)}
      >
        ×
      </button>
    </div>
  );
}

/** What the networks ask of this variable and its value does not give (said at the variable). */
function VariableProblems({ name }: { name: string }) {
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const problems = checkFor(doc, limits).problems.filter((p) => p.variable === name);
  if (problems.length === 0) return null;
  return (
    <ul className="variable-problems" data-testid={`variable-problems-${name}`}>
      {problems.map((p, i) => (
        <li key={i}>{p.message}</li>
      ))}
    </ul>
  );
}

/** A variable at its quick-start value: what the reference trains at, a click away. */
function ReferenceValue({
  name,
  reference,
}: {
  name: string;
  reference: VariableDocument['value'];
}) {
  const actions = useActions();
  return (
    <div className="variable-reference" data-testid={`variable-reference-${name}`}>
      quick start; the reference trains at {String(reference)}{' '}
      <button
        type="button"
        className="link"
        onClick={() => actions.applyToDocument((d) => setVariable(d, name, reference))}
      >
        use {String(reference)}
      </button>
    </div>
  );
}

function VariableRow({
  name,
  variable,
  reference,
}: {
  name: string;
  variable: VariableDocument;
  reference: VariableDocument['value'] | undefined;
}) {
  const actions = useActions();
  const set = (value: string | number | boolean) =>
    actions.applyToDocument((d) => setVariable(d, name, value));
  const { value } = variable;
  let control;
  if (typeof value === 'boolean') {
    control = (
      <input
        type="checkbox"
        checked={value}
        onChange={(e) => set(e.target.checked)}
        data-testid={`variable-input-${name}`}
      />
    );
  } else if (variable.options) {
    control = (
      <select
        value={String(value)}
        onChange={(e) => set(e.target.value)}
        data-testid={`variable-input-${name}`}
      >
        {!variable.options.includes(String(value)) && (
          <option value={String(value)}>{String(value)} ⚠</option>
        )}
        {variable.options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else {
    control = (
      <CommitInput
        key={String(value)}
        value={String(value)}
        onCommit={(text) => {
          const next = coerceVariable(value, text);
          if (next === undefined) {
            actions.notify(`${name} is a ${typeof value}: "${text}" is not one`, 'error');
          } else {
            set(next);
          }
        }}
        inputMode={typeof value === 'number' ? 'decimal' : 'text'}
        data-testid={`variable-input-${name}`}
        spellCheck={false}
      />
    );
  }
  return (
    <div className="variable" data-testid={`variable-${name}`} title={variable.description}>
      <code className="variable-name">{name}</code>
      <div className="variable-control">{control}</div>
      <button
        type="button"
        className="icon"
        title={`Remove ${name}`}
        aria-label={`Remove ${name}`}
        onClick={() => actions.applyToDocument((d) => removeVariable(d, name))}
      >
        ×
      </button>
      <RunOverride name={name} value={value} />
      {reference !== undefined && <ReferenceValue name={name} reference={reference} />}
      <VariableProblems name={name} />
      {variable.description && <div className="variable-description">{variable.description}</div>}
    </div>
  );
}

function NewVariable() {
  const actions = useActions();
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const add = () => {
    if (!VARIABLE_NAME.test(name)) {
      actions.notify(`"${name}" is not a variable name: ${VARIABLE_NAME_RULE}`, 'error');
      return;
    }
    const number = Number(value);
    const typed =
      value === 'true'
        ? true
        : value === 'false'
          ? false
          : value.trim() !== '' && Number.isFinite(number)
            ? number
            : value;
    if (actions.applyToDocument((d) => setVariable(d, name, typed))) {
      setName('');
      setValue('');
    }
  };
  return (
    <form
      className="new-variable"
      onSubmit={(e) => {
        e.preventDefault();
        add();
      }}
    >
      <input
        placeholder="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        aria-label="New variable name"
      />
      <input
        placeholder="value"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label="New variable value"
      />
      <button type="submit">Add</button>
    </form>
  );
}

/** The graph variables: params written "=name" follow them. */
export function VariablesPanel() {
  const doc = useEditor((s) => s.document);
  const actions = useActions();
  const references = referenceValues(doc, TEMPLATES, QUICK_STARTS);
  const quick = Object.entries(references);
  return (
    <section className="panel variables" data-testid="variables">
      <h2>Variables</h2>
      {quick.length > 0 && (
        <p className="variables-quick-start small" data-testid="quick-start-note">
          Quick start: {quick.map(([n]) => `${n} ${String(doc.variables[n]!.value)}`).join(', ')},
          so that a run learns within minutes; the edges show what it trains.{' '}
          <button
            type="button"
            className="link"
            onClick={() =>
              actions.applyToDocument((d) =>
                quick.reduce((next, [n, value]) => setVariable(next, n, value), d),
              )
            }
            data-testid="use-reference-values"
          >
            Use the reference&apos;s values
          </button>{' '}
          ({quick.map(([n, v]) => `${n} ${String(v)}`).join(', ')}).
        </p>
      )}
      {Object.entries(doc.variables).map(([name, v]) => (
        <VariableRow key={name} name={name} variable={v} reference={references[name]} />
      ))}
      <NewVariable />
    </section>
  );
}
