/**
 * A zod issue made into a Problem: at its JSON path, saying what was expected and quoting what
 * was received. Documents, clipboards, params and checkpoints are all checked by zod schemas;
 * this is how each of their issues reads.
 */
import type { z } from 'zod';
import { formatPath, type Problem, type ProblemCode } from './problems';

/** A received value, short enough for a one-line message. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/**
 * zod's messages, made to read as "what was expected, what was received". `input` is the value
 * that was parsed, so that the received value can be quoted.
 */
export function describeIssue(issue: z.core.$ZodIssue, input?: unknown): string {
  const value = valueAt(input, issue.path);
  const received = describeValue(value);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, received ${received}`;
    case 'invalid_type':
      return value === undefined
        ? `missing: expected ${withArticle(issue.expected)}`
        : `expected ${withArticle(issue.expected)}, received ${received}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const relation =
        issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      return issue.origin === 'number'
        ? `expected a number ${relation} ${String(bound)}, received ${received}`
        : `${issue.message}, received ${received}`;
    }
    case 'invalid_key': {
      // The key is what was received: the value under it may be fine.
      const key = String(issue.path[issue.path.length - 1]);
      return `${issue.issues[0]?.message ?? issue.message}, received ${JSON.stringify(key)}`;
    }
    case 'custom':
      return issue.message;
    default:
      return `${issue.message}, received ${received}`;
  }
}

/**
 * Every issue of a failed parse of `input`, as a problem of kind `code`. `at` is where `input`
 * sits in the document (a node's params: `['nodes', 3, 'params']`).
 */
export function problemsFromZodError(
  error: z.ZodError,
  input: unknown,
  code: ProblemCode,
  at: readonly (string | number)[] = [],
): Problem[] {
  return error.issues.map((issue) => ({
    path: formatPath([...at, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))]),
    code,
    message: describeIssue(issue, input),
  }));
}
