import { describe, expect, it } from 'vitest';
import { evaluateExpression, expressionVariables, resolveParams } from './expression';

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
