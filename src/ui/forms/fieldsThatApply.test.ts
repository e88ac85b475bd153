import { describe, expect, test } from 'vitest';
import { GradientPenaltyNode } from '../../nodes/GradientPenalty';
import { LossNode } from '../../nodes/Loss';
import { fieldsThatApply, formFields, validateParams } from './schemaForm';

const lossFields = formFields(LossNode.params);
const shown = (params: Record<string, unknown>, variables = {}) =>
  fieldsThatApply(lossFields, LossNode.paramsThatApply, params, variables).map((f) => f.name);

describe('a form shows the params that apply to its type', () => {
  test('an L1 loss has a type and a weight, and no margin, gamma, lambdaK or role', () => {
    expect(shown({ type: 'l1' })).toEqual(['type', 'weight']);
    expect(shown({})).toEqual(['type', 'weight']);
  });

  test('an adversarial loss has a role; EBGAN a margin; BEGAN its gamma and lambdaK', () => {
    expect(shown({ type: 'lsgan' })).toEqual(['type', 'weight', 'role']);
    expect(shown({ type: 'ebgan' })).toEqual(['type', 'weight', 'role', 'margin']);
    expect(shown({ type: 'began' })).toEqual(['type', 'weight', 'role', 'gamma', 'lambdaK']);
  });

  test('a type written as an expression is read through the variables', () => {
    expect(shown({ type: '=gan_mode' }, { gan_mode: 'hinge' })).toEqual(['type', 'weight', 'role']);
  });

  test('a param with something to fix stays in view even where it does not apply', () => {
    const params = { type: 'l1', margin: -1 };
    const errors = validateParams(LossNode.params, params, {});
    const names = fieldsThatApply(lossFields, LossNode.paramsThatApply, params, {}, errors);
    expect(names.map((f) => f.name)).toContain('margin');
  });

  test('a kind that does not say shows every param', () => {
    const fields = formFields(GradientPenaltyNode.params);
    expect(fieldsThatApply(fields, undefined, {}, {})).toEqual(fields);
  });
});

describe('a param left unset says in words what it needs', () => {
  test('a gradient penalty without a network asks for the critic, not for a string', () => {
    expect(validateParams(GradientPenaltyNode.params, {}, {})).toEqual({
      network: 'needs a value: the critic whose gradient is penalized',
    });
  });
});
