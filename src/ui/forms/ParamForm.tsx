import { useState, type ReactNode } from 'react';
import { isExpression, type Variables } from '../../graph/expression';
import { CommitInput } from './CommitInput';
import {
  describeRule,
  formatFieldValue,
  parseFieldInput,
  previewExpression,
  type Field,
} from './schemaForm';

export interface ParamFormProps {
  fields: readonly Field[];
  /** The params as written: values or "=expressions". */
  params: Readonly<Record<string, unknown>>;
  errors: Readonly<Record<string, string>>;
  variables: Variables;
  /** A new value as written; undefined goes back to the default. */
  onChange(name: string, value: unknown): void;
  /** A control of its own for some fields (a network picker); undefined: the generic one. */
  custom?: (field: Field, value: unknown) => ReactNode | undefined;
}

function ruleHint(field: Field): string {
  if (field.type === 'number' || field.type === 'numberOrEnum') {
    const rule = describeRule(field.rule);
    return field.type === 'numberOrEnum'
      ? [rule, ...field.options].filter(Boolean).join(' | ')
      : rule;
  }
  if (field.type === 'list') return `comma-separated ${field.item}s`;
  return '';
}

function GenericControl({
  field,
  value,
  onChange,
}: {
  field: Field;
  value: unknown;
  onChange(value: unknown): void;
}) {
  const id = `field-input-${field.name}`;
  if (field.type === 'boolean') {
    const checked = (value ?? field.default) === true;
    return (
      <input
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        data-testid={id}
        aria-label={field.name}
      />
    );
  }
  if (field.type === 'enum') {
    const known = field.options.some((o) => o === value);
    return (
      <select
        value={value === undefined ? '' : String(value)}
        onChange={(e) => onChange(parseFieldInput(field, e.target.value))}
        data-testid={id}
        aria-label={field.name}
      >
        {!field.required && (
          <option value="">default ({formatFieldValue(field.default) || 'none'})</option>
        )}
        {field.required && value === undefined && <option value="">choose…</option>}
        {!known && value !== undefined && <option value={String(value)}>{String(value)} ⚠</option>}
        {field.options.map((o) => (
          <option key={String(o)} value={String(o)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  }
  const text = formatFieldValue(value);
  const listId = field.type === 'numberOrEnum' ? `${id}-options` : undefined;
  return (
    <>
      <CommitInput
        key={text}
        value={text}
        onCommit={(t) => onChange(parseFieldInput(field, t))}
        placeholder={field.default !== undefined ? formatFieldValue(field.default) : ''}
        list={listId}
        data-testid={id}
        aria-label={field.name}
        spellCheck={false}
      />
      {listId && field.type === 'numberOrEnum' && (
        <datalist id={listId}>
          {field.options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      )}
    </>
  );
}

function FieldRow({
  field,
  value,
  error,
  variables,
  onChange,
  custom,
}: {
  field: Field;
  value: unknown;
  error: string | undefined;
  variables: Variables;
  onChange(value: unknown): void;
  custom: ReactNode | undefined;
}) {
  const written = isExpression(value);
  const [expressionMode, setExpressionMode] = useState(written);
  const showExpression = written || expressionMode;
  const preview = written ? previewExpression(value, variables) : '';
  const hint = ruleHint(field);
  const toggle = () => {
    if (showExpression) {
      // Back to a plain value: keep what the expression gives now.
      setExpressionMode(false);
      if (written) onChange(preview === '' ? undefined : parseFieldInput(field, preview));
    } else {
      setExpressionMode(true);
    }
  };
  const expressionText = written
    ? value
    : `=${formatFieldValue(value ?? field.default)}`.replace(/^=$/, '=');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`} data-testid={`field-${field.name}`}>
      <div className="field-label">
        <label>{field.name}</label>
        {hint && <span className="field-hint">{hint}</span>}
      </div>
      <div className="field-control">
        {showExpression ? (
          <CommitInput
            key={String(value)}
            value={expressionText}
            onCommit={(t) => onChange(parseFieldInput(field, t))}
            className="expression-input"
            data-testid={`field-input-${field.name}`}
            aria-label={`${field.name} expression`}
            spellCheck={false}
            autoFocus={!written}
          />
        ) : (
          (custom ?? <GenericControl field={field} value={value} onChange={onChange} />)
        )}
        <button
          type="button"
          className={`expression-toggle${showExpression ? ' active' : ''}`}
          title={
            showExpression
              ? 'Use a plain value (what the expression gives now)'
              : 'Use an expression over graph variables, e.g. =ngf*2'
          }
          onClick={toggle}
          data-testid={`field-expression-${field.name}`}
        >
          =
        </button>
      </div>
      {written && preview !== '' && <div className="field-preview">→ {preview}</div>}
      {error && (
        <div className="field-error" data-testid={`field-error-${field.name}`}>
          {error}
        </div>
      )}
      {field.description && <div className="field-description">{field.description}</div>}
    </div>
  );
}

/** A form for params, derived from their schema. */
export function ParamForm({ fields, params, errors, variables, onChange, custom }: ParamFormProps) {
  return (
    <div className="param-form">
      {fields.map((f) => (
        <FieldRow
          key={f.name}
          field={f}
          value={params[f.name]}
          error={errors[f.name]}
          variables={variables}
          onChange={(v) => onChange(f.name, v)}
          custom={custom?.(f, params[f.name])}
        />
      ))}
      {errors[''] && <div className="field-error">{errors['']}</div>}
    </div>
  );
}
