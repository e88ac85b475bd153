import { describe, expect, test } from 'vitest';
import type { GraphDocument } from './document';
import type { Problem } from './problems';
import { resolveVariables } from './variables';

describe('resolveVariables', () => {
  test('a variable named like an Object.prototype member is a variable like any other', () => {
    const doc = {
      variables: JSON.parse(
        '{"__proto__": {"value": 3}, "constructor": {"value": 4}}',
      ) as GraphDocument['variables'],
    } as GraphDocument;
    const problems: Problem[] = [];
    const values = resolveVariables(doc, { constructor: '5' }, problems);
    expect(problems).toEqual([]);
    expect(Object.getOwnPropertyDescriptor(values, '__proto__')?.value).toBe(3);
    expect(values.constructor).toBe(5);
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});
