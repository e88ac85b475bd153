import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDocument } from './check';
import { copyToClipboard } from './clipboard';
import { parseDocument } from './document';
import {
  evaluateExpression,
  ExpressionError,
  expressionVariables,
  MAX_NESTING,
  resolveParams,
} from './expression';

const vars = { ngf: 64, lambda_B: 10, lambda_identity: 0.5, norm: 'instance', flip: true };

describe('param expressions over graph variables', () => {
  it('computes widths and weights from variables', () => {
    expect(evaluateExpression('ngf*4', vars)).toBe(256);
    expect(evaluateExpression('lambda_B*lambda_identity', vars)).toBe(5);
    expect(evaluateExpression('(ngf + 2) / 2 - -1', vars)).toBe(34);
    expect(evaluateExpression('min(ngf*8, 512) % 100', vars)).toBe(12);
    expect(evaluateExpression('2e-4 * 10', vars)).toBeCloseTo(2e-3, 12);
  });

  it('passes strings and booleans through', () => {
    expect(evaluateExpression('norm', vars)).toBe('instance');
    expect(evaluateExpression('flip', vars)).toBe(true);
  });

  it('says which variable is unknown, and refuses arithmetic on strings', () => {
    expect(() => evaluateExpression('ngf*widht', vars)).toThrow('unknown variable "widht"');
    expect(() => evaluateExpression('norm*2', vars)).toThrow('not a number');
    expect(() => evaluateExpression('ngf +', vars)).toThrow('unexpected end');
    expect(() => evaluateExpression('ngf; 1', vars)).toThrow('unexpected character ";"');
    expect(() => evaluateExpression('eval(1)', vars)).toThrow('unknown function "eval"');
  });

  it('cannot reach properties of the variables object', () => {
    expect(() => evaluateExpression('constructor', vars)).toThrow('unknown variable');
  });

  it('lists the variables an expression reads', () => {
    expect(expressionVariables('=min(ngf*2, ndf)')).toEqual(['ngf', 'ndf']);
    expect(expressionVariables('plain')).toEqual([]);
  });

  it('resolves nested params and reports each error at its key path', () => {
    const { value, errors } = resolveParams(
      { filters: '=ngf*2', nested: { list: ['=nope', 3] }, plain: 'x' },
      vars,
    );
    expect(value.filters).toBe(128);
    expect(value.plain).toBe('x');
    expect(errors).toEqual([{ path: ['nested', 'list', '0'], message: 'unknown variable "nope"' }]);
  });
});

/** The error an expression gives: an ExpressionError, never another exception. */
function failure(source: string, variables: Record<string, string | number | boolean> = vars) {
  try {
    evaluateExpression(source, variables);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return (e as Error).message;
  }
  throw new Error(`"${source}" evaluated`);
}

describe('expressions nested too deep', () => {
  const deep = 10_000;

  it('refuse parentheses, signs and calls nested past the limit, with a short message', () => {
    expect(failure(`${'('.repeat(deep)}1${')'.repeat(deep)}`)).toMatch(
      new RegExp(`^nested deeper than ${MAX_NESTING} levels in "\\(+\\.\\.\\."$`),
    );
    expect(failure(`${'-'.repeat(deep)}1`)).toContain('nested deeper than');
    expect(failure(`${'min('.repeat(deep)}1${')'.repeat(deep)}`)).toContain('nested deeper than');
  });

  it('take nesting up to the limit', () => {
    const depth = MAX_NESTING - 1;
    expect(evaluateExpression(`${'('.repeat(depth)}ngf${')'.repeat(depth)}`, vars)).toBe(64);
    expect(evaluateExpression(`${'-'.repeat(depth)}1`, vars)).toBe(-1);
  });

  it('call a function with many thousand arguments', () => {
    expect(
      evaluateExpression(`max(${Array.from({ length: 200_000 }, (_, i) => i).join(',')})`, vars),
    ).toBe(199_999);
  });

  it('report a param nested past the limit at the level where it goes too deep', () => {
    let nested: unknown = '=ngf';
    for (let i = 0; i < deep; i++) nested = i % 2 ? { a: nested } : [nested];
    const { errors } = resolveParams({ filters: nested }, vars);
    expect(errors).toEqual([
      {
        path: [
          'filters',
          ...Array.from({ length: MAX_NESTING - 1 }, (_, i) => (i % 2 ? '0' : 'a')),
        ],
        message: `nested deeper than ${MAX_NESTING} levels`,
      },
    ]);
  });
});

describe('what an expression can reach', () => {
  it('calls only its own functions, not the methods every object has', () => {
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(failure(`${name}(1)`)).toBe(`unknown function "${name}" in "${name}(1)"`);
      expect(failure(name)).toBe(`unknown variable "${name}"`);
    }
  });

  it('reads variables of any name the graph gives, prototype names too', () => {
    const own = JSON.parse('{"__proto__": 3, "toString": 4, "constructor": 5}') as Record<
      string,
      number
    >;
    expect(evaluateExpression('__proto__ + toString * constructor', own)).toBe(23);
    expect(evaluateExpression('min(toString, 9)', own)).toBe(4);
  });

  it('keeps a param named __proto__ as a param', () => {
    const params = JSON.parse('{"__proto__": "=ngf"}') as Record<string, unknown>;
    const { value } = resolveParams(params, vars);
    expect(Object.hasOwn(value, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value.__proto__).toBe(64);
  });

  it('calls a property access an unexpected character, not an exception', () => {
    expect(failure('a.b')).toBe('unexpected character "." in "a.b"');
    expect(failure('.')).toBe('unexpected character "." in "."');
    expect(() => expressionVariables('=a.b')).toThrow(ExpressionError);
  });
});

describe('a broken expression in a graph', () => {
  const text = readFileSync(new URL('../../templates/dcgan.json', import.meta.url), 'utf8');
  const withFilters = (filters: string) => {
    const parsed = parseDocument(text);
    if (!parsed.ok) throw new Error('the DCGAN template does not parse');
    const doc = parsed.document;
    doc.networks = doc.networks.map((n) =>
      n.id === 'G'
        ? { ...n, preset: { ...n.preset!, params: { ...n.preset!.params, ngf: filters } } }
        : n,
    );
    return doc;
  };

  it('is a problem at its param, whatever it tries', () => {
    for (const [filters, message] of [
      ['=toString(1)', 'unknown function "toString" in "toString(1)"'],
      ['=a.b', 'unexpected character "." in "a.b"'],
      [`=${'('.repeat(10_000)}`, `nested deeper than ${MAX_NESTING} levels in "((((`],
    ]) {
      const { problems, valid } = checkDocument(withFilters(filters!));
      expect(valid).toBe(false);
      expect(problems[0]).toMatchObject({
        path: 'networks[0].preset.params.ngf',
        code: 'expression',
      });
      expect(problems[0]!.message).toContain(message);
    }
  });

  it('does not stop a copy of the nodes that read it', () => {
    const doc = withFilters('=a.b');
    doc.nodes = doc.nodes.map((n) =>
      n.id === 'z' ? { ...n, params: { ...n.params, dim: '=nz.x' } } : n,
    );
    const copied = copyToClipboard(doc, ['z', 'fake']);
    expect(copied.nodes.map((n) => n.id)).toEqual(['z', 'fake']);
    expect(copied.networks.map((n) => n.id)).toEqual(['G']);
  });
});
