import { z } from 'zod';
import { describe, expect, test } from 'vitest';
import { NODE_KINDS, findNodeKind } from '../../nodes';
import { PRESETS } from '../../graph/presets';
import {
  describeRule,
  formFields,
  initialParams,
  parseFieldInput,
  previewExpression,
  validateParams,
  type Field,
} from './schemaForm';

const schema = z
  .object({
    filters: z.number().int().positive().describe('Output channels'),
    rate: z.number().gt(0).lt(1).default(0.5),
    padding: z
      .union([z.number().int().nonnegative(), z.enum(['same', 'valid'])])
      .default(0)
      .describe('Zero padding'),
    transposed: z.boolean().default(false),
    fn: z.enum(['relu', 'tanh']).default('relu'),
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    networks: z.array(z.string().min(1)).min(1),
    shape: z.array(z.number().int().positive()).min(1),
    clip: z.number().positive().nullable().default(null),
    source: z.string().min(1).default('builtin:daynight'),
    outputPadding: z.number().int().nonnegative().default(0),
  })
  .refine((p) => p.outputPadding < 2, {
    message: 'outputPadding must be < 2',
    path: ['outputPadding'],
  });

const field = (name: string): Field => formFields(schema).find((f) => f.name === name)!;

describe('fields from a zod schema', () => {
  test('numbers carry their rule, default and description', () => {
    expect(field('filters')).toEqual({
      name: 'filters',
      type: 'number',
      required: true,
      nullable: false,
      description: 'Output channels',
      rule: { integer: true, min: 0, minExclusive: true },
    });
    expect(field('rate')).toMatchObject({
      type: 'number',
      required: false,
      default: 0.5,
      rule: { integer: false, min: 0, minExclusive: true, max: 1, maxExclusive: true },
    });
  });

  test('a number or some words, enums, literals, booleans, strings, lists and nullables', () => {
    expect(field('padding')).toMatchObject({
      type: 'numberOrEnum',
      options: ['same', 'valid'],
      default: 0,
      description: 'Zero padding',
      rule: { integer: true, min: 0 },
    });
    expect(field('fn')).toMatchObject({ type: 'enum', options: ['relu', 'tanh'], default: 'relu' });
    expect(field('channels')).toMatchObject({ type: 'enum', options: [1, 3], default: 3 });
    expect(field('transposed')).toMatchObject({ type: 'boolean', default: false });
    expect(field('source')).toMatchObject({ type: 'string', default: 'builtin:daynight' });
    expect(field('networks')).toMatchObject({ type: 'list', item: 'string', required: true });
    expect(field('shape')).toMatchObject({ type: 'list', item: 'number', rule: { integer: true } });
    expect(field('clip')).toMatchObject({ type: 'number', nullable: true, default: null });
  });

  test('a refined object keeps its fields, in order', () => {
    expect(formFields(schema).map((f) => f.name)).toEqual(Object.keys(schema.shape));
  });

  test('every node kind and preset gets a form with no field left to raw JSON', () => {
    const schemas = [
      ...NODE_KINDS.map((k) => k.params),
      ...Object.values(PRESETS).map((p) => p.params),
    ];
    for (const s of schemas) {
      for (const f of formFields(s)) expect(f.type, f.name).not.toBe('json');
    }
    const conv = formFields(findNodeKind('Conv')!.params);
    expect(conv.find((f) => f.name === 'padding')?.type).toBe('numberOrEnum');
    expect(conv.find((f) => f.name === 'stride')).toMatchObject({ type: 'number', default: 1 });
  });

  test('rules read as words', () => {
    expect(describeRule({ integer: true, min: 0, minExclusive: true })).toBe('integer, > 0');
    expect(describeRule({ integer: false, min: 0, max: 1, maxExclusive: true })).toBe('≥ 0, < 1');
    expect(describeRule({ integer: true, max: Number.MAX_SAFE_INTEGER })).toBe('integer');
  });
});

describe('what a typed text stores', () => {
  test('empty text goes back to the default, "=" starts an expression', () => {
    expect(parseFieldInput(field('rate'), '  ')).toBeUndefined();
    expect(parseFieldInput(field('filters'), '=ngf * 2')).toBe('=ngf * 2');
  });

  test('numbers become numbers; other text is kept for the check to point at', () => {
    expect(parseFieldInput(field('filters'), '128')).toBe(128);
    expect(parseFieldInput(field('rate'), '1e-3')).toBe(0.001);
    expect(parseFieldInput(field('filters'), 'lots')).toBe('lots');
    expect(parseFieldInput(field('padding'), 'same')).toBe('same');
    expect(parseFieldInput(field('padding'), '2')).toBe(2);
    expect(parseFieldInput(field('channels'), '1')).toBe(1);
    expect(parseFieldInput(field('clip'), 'null')).toBeNull();
  });

  test('lists are comma-separated', () => {
    expect(parseFieldInput(field('networks'), 'G_A, G_B')).toEqual(['G_A', 'G_B']);
    expect(parseFieldInput(field('shape'), '[4, 4, 256]')).toEqual([4, 4, 256]);
  });
});

describe('inline validation', () => {
  const variables = { ngf: 64, norm: 'instance' };
  const valid = { filters: '=ngf', networks: ['G_A'], shape: [4] };

  test('params whose expressions resolve to fitting values have no errors', () => {
    expect(validateParams(schema, valid, variables)).toEqual({});
  });

  test('each error lands on its field, with what was wrong', () => {
    const errors = validateParams(
      schema,
      { ...valid, filters: '=nope', rate: 2, fn: '=norm' },
      variables,
    );
    expect(errors.filters).toBe('unknown variable "nope"');
    expect(errors.rate).toMatch(/1/);
    expect(errors.fn).toBeDefined();
    expect(Object.keys(errors).sort()).toEqual(['filters', 'fn', 'rate']);
  });

  test('a rule across fields lands on the field it names', () => {
    expect(validateParams(schema, { ...valid, outputPadding: 3 }, variables)).toEqual({
      outputPadding: 'outputPadding must be < 2',
    });
  });

  test('a param the schema does not know is named', () => {
    const strict = z.object({ a: z.number().default(1) }).strict();
    expect(validateParams(strict, { b: 2 }, {})).toEqual({ b: 'unknown param "b"' });
  });

  test('an expression previews its value', () => {
    expect(previewExpression('=ngf*4', variables)).toBe('256');
    expect(previewExpression('=nope', variables)).toBe('');
  });
});

describe('params for a new node', () => {
  test('required fields get a variable of their name, or the least value their rule allows', () => {
    const fields = formFields(schema);
    expect(initialParams(fields, { shape: 3 })).toEqual({
      filters: 1,
      networks: [],
      shape: '=shape',
    });
    const dataset = formFields(findNodeKind('Dataset')!.params);
    expect(initialParams(dataset, { size: 256 })).toMatchObject({ size: '=size' });
  });
});
