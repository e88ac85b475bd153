/**
 * Forms from zod schemas: a node kind's params schema (or a preset's) becomes a list of field
 * descriptors that the inspector draws, so that a new node kind gets its form for free. Every
 * field can also hold an "=expression" over the graph variables instead of a value.
 *
 * Pure: no React here, so the rules are tested in Node.
 */
import { z } from 'zod';
import { resolveParams, type Variables } from '../../graph/expression';
import { describeIssue } from '../../graph/zodProblems';

export interface NumberRule {
  integer: boolean;
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

interface FieldBase {
  name: string;
  description?: string;
  /** Has neither a default nor may be left out: a new node needs a value. */
  required: boolean;
  default?: unknown;
  /** `null` is a value (e.g. "never decays"). */
  nullable: boolean;
}

export type Field =
  | (FieldBase & { type: 'number'; rule: NumberRule })
  | (FieldBase & { type: 'enum'; options: (string | number)[] })
  | (FieldBase & { type: 'boolean' })
  | (FieldBase & { type: 'string' })
  | (FieldBase & { type: 'list'; item: 'string' | 'number'; rule?: NumberRule })
  /** A number or one of some words, like a convolution's padding (2, "same", "valid"). */
  | (FieldBase & { type: 'numberOrEnum'; rule: NumberRule; options: string[] })
  /** Anything else, edited as JSON text. */
  | (FieldBase & { type: 'json' });

interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
}

function numberRule(schema: z.ZodNumber): NumberRule {
  const rule: NumberRule = { integer: false };
  for (const check of schema.def.checks ?? []) {
    const def = (check as unknown as { _zod: { def: CheckDef } })._zod.def;
    if (def.check === 'number_format' && /int/.test(def.format ?? '')) rule.integer = true;
    if (def.check === 'greater_than' && typeof def.value === 'number') {
      rule.min = def.value;
      rule.minExclusive = !def.inclusive;
    }
    if (def.check === 'less_than' && typeof def.value === 'number') {
      rule.max = def.value;
      rule.maxExclusive = !def.inclusive;
    }
  }
  return rule;
}

/** The field a schema stands for, looking through defaults, optional and nullable wrappers. */
export function describeField(name: string, schema: z.ZodType): Field {
  let inner: z.ZodType = schema;
  let description = schema.description;
  let required = true;
  let nullable = false;
  let defaultValue: unknown;
  let hasDefault = false;
  for (;;) {
    if (inner instanceof z.ZodDefault) {
      defaultValue = inner.def.defaultValue;
      hasDefault = true;
      required = false;
      inner = inner.def.innerType as z.ZodType;
    } else if (inner instanceof z.ZodOptional) {
      required = false;
      inner = inner.def.innerType as z.ZodType;
    } else if (inner instanceof z.ZodNullable) {
      nullable = true;
      inner = inner.def.innerType as z.ZodType;
    } else {
      break;
    }
    description ??= inner.description;
  }
  const base: FieldBase = {
    name,
    required,
    nullable,
    ...(description !== undefined ? { description } : {}),
    ...(hasDefault ? { default: defaultValue } : {}),
  };
  if (inner instanceof z.ZodNumber) return { ...base, type: 'number', rule: numberRule(inner) };
  if (inner instanceof z.ZodBoolean) return { ...base, type: 'boolean' };
  if (inner instanceof z.ZodString) return { ...base, type: 'string' };
  if (inner instanceof z.ZodEnum) {
    return { ...base, type: 'enum', options: inner.options as (string | number)[] };
  }
  if (inner instanceof z.ZodLiteral) {
    return { ...base, type: 'enum', options: [...inner.values] as (string | number)[] };
  }
  if (inner instanceof z.ZodUnion) {
    const options = inner.options as z.ZodType[];
    const literals = options.flatMap((o) =>
      o instanceof z.ZodLiteral ? [...o.values] : o instanceof z.ZodEnum ? o.options : [undefined],
    );
    if (!literals.includes(undefined)) {
      return { ...base, type: 'enum', options: literals as (string | number)[] };
    }
    const numbers = options.filter((o): o is z.ZodNumber => o instanceof z.ZodNumber);
    const words = options.filter((o) => !(o instanceof z.ZodNumber));
    if (numbers.length === 1 && words.every((o) => o instanceof z.ZodEnum)) {
      return {
        ...base,
        type: 'numberOrEnum',
        rule: numberRule(numbers[0]!),
        options: words.flatMap((o) => (o as z.ZodEnum).options as string[]),
      };
    }
  }
  if (inner instanceof z.ZodArray) {
    const element = inner.element as z.ZodType;
    if (element instanceof z.ZodString) return { ...base, type: 'list', item: 'string' };
    if (element instanceof z.ZodNumber) {
      return { ...base, type: 'list', item: 'number', rule: numberRule(element) };
    }
  }
  return { ...base, type: 'json' };
}

/** The fields of an object schema, in the schema's order. */
export function formFields(schema: z.ZodType): Field[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, s]) =>
    describeField(name, s),
  );
}

/** "integer, ≥ 1", "0 < x < 1": the rule in words, for a hint beside the input. */
export function describeRule(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.integer) parts.push('integer');
  if (rule.min !== undefined) parts.push(`${rule.minExclusive ? '>' : '≥'} ${rule.min}`);
  if (rule.max !== undefined && rule.max < Number.MAX_SAFE_INTEGER) {
    parts.push(`${rule.maxExclusive ? '<' : '≤'} ${rule.max}`);
  }
  return parts.join(', ');
}

/** A value as the text of an input box. */
export function formatFieldValue(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    return String(value);
  }
  return JSON.stringify(value);
}

const NUMBER_TEXT = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * What to store for the text typed into a field: "" goes back to the default (undefined), text
 * starting with "=" is an expression, numbers become numbers. Text that fits no type is kept as
 * typed, so that the check shows what is wrong and where instead of the edit being lost.
 */
export function parseFieldInput(field: Field, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (trimmed.startsWith('=')) return trimmed;
  if (field.nullable && trimmed === 'null') return null;
  switch (field.type) {
    case 'number':
      return NUMBER_TEXT.test(trimmed) ? Number(trimmed) : trimmed;
    case 'numberOrEnum':
      return NUMBER_TEXT.test(trimmed) ? Number(trimmed) : trimmed;
    case 'enum': {
      const match = field.options.find((o) => String(o) === trimmed);
      return match ?? trimmed;
    }
    case 'boolean':
      return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
    case 'list': {
      const items = trimmed
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      return field.item === 'number'
        ? items.map((s) => (NUMBER_TEXT.test(s) ? Number(s) : s))
        : items;
    }
    case 'json':
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        return trimmed;
      }
    default:
      return trimmed;
  }
}

/**
 * Per-field messages for params as written: expressions are evaluated over the variables, then
 * the whole object is parsed with the schema. Keyed by field name; "" holds what belongs to no
 * one field.
 */
export function validateParams(
  schema: z.ZodType,
  params: Readonly<Record<string, unknown>>,
  variables: Variables,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const note = (key: string, message: string) => {
    errors[key] ??= message;
  };
  const resolved = resolveParams(params, variables);
  for (const e of resolved.errors) note(e.path[0] ?? '', e.message);
  const parsed = schema.safeParse(resolved.value);
  if (!parsed.success) {
    const fields = new Map(formFields(schema).map((f) => [f.name, f]));
    for (const issue of parsed.error.issues) {
      const key = issue.path.length > 0 ? String(issue.path[0]) : '';
      const field = fields.get(key);
      if (field && issue.path.length === 1 && isUnset(resolved.value[key])) {
        note(key, whatIsNeeded(field));
      } else if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) note(k, `unknown param "${k}"`);
      } else {
        note(key, describeIssue(issue, resolved.value));
      }
    }
  }
  return errors;
}

/** Nothing written yet: no value, or an empty list. */
function isUnset(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

/** What a field left unset needs, in words: "needs a value: the critic whose gradient…". */
function whatIsNeeded(field: Field): string {
  const what = field.type === 'list' ? 'needs at least one' : 'needs a value';
  if (!field.description) return what;
  return `${what}: ${field.description.charAt(0).toLowerCase()}${field.description.slice(1)}`;
}

/** The evaluated value of an expression field, for the preview beside it. */
export function previewExpression(value: string, variables: Variables): string {
  const resolved = resolveParams({ v: value }, variables);
  if (resolved.errors.length > 0) return '';
  return formatFieldValue(resolved.value.v);
}

/**
 * Params for a new node: what the schema does not default. A field named like a graph variable
 * refers to it ("=size"), otherwise it gets the smallest value its rule allows.
 */
export function initialParams(
  fields: readonly Field[],
  variables: Variables,
): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of fields) {
    if (!field.required) continue;
    if (Object.hasOwn(variables, field.name)) {
      params[field.name] = `=${field.name}`;
    } else if (field.type === 'number') {
      const { min, minExclusive, integer } = field.rule;
      const least = min === undefined ? 1 : minExclusive ? min + (integer ? 1 : 0.1) : min;
      params[field.name] = Math.max(least, integer ? 1 : least);
    } else if (field.type === 'enum') {
      params[field.name] = field.options[0];
    } else if (field.type === 'boolean') {
      params[field.name] = false;
    } else if (field.type === 'list') {
      params[field.name] = [];
    }
  }
  return params;
}

/**
 * The fields a node's form shows: those its kind says apply given the other params (evaluated
 * over the variables), and any with something to fix; all of them for a kind that does not say.
 */
export function fieldsThatApply(
  fields: readonly Field[],
  paramsThatApply: ((params: Readonly<Record<string, unknown>>) => readonly string[]) | undefined,
  params: Readonly<Record<string, unknown>>,
  variables: Variables,
  errors: Readonly<Record<string, string>> = {},
): Field[] {
  if (!paramsThatApply) return [...fields];
  const applying = new Set(paramsThatApply(resolveParams(params, variables).value));
  return fields.filter((f) => applying.has(f.name) || errors[f.name] !== undefined);
}
