// First, as in the entry points: zod reads the setting as each schema is built.
import './withoutEval';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkGraph } from './graph/check';
import { compileGraph } from './runtime/compile';

const template = readFileSync(new URL('../templates/cyclegan.json', import.meta.url), 'utf8');

/** Runs `run` with the Function constructor refusing, as a policy without 'unsafe-eval' does. */
function withoutFunctionConstructor<T>(run: () => T): { result: T; attempts: number } {
  const original = globalThis.Function;
  let attempts = 0;
  globalThis.Function = function refused() {
    attempts++;
    throw new EvalError('refused: no eval under the Content-Security-Policy');
  } as unknown as FunctionConstructor;
  try {
    return { result: run(), attempts };
  } finally {
    globalThis.Function = original;
  }
}

describe('schemas under a policy that forbids eval', () => {
  it('check and compile a template without compiling code', () => {
    const { result, attempts } = withoutFunctionConstructor(() => ({
      check: checkGraph(template),
      compiled: compileGraph(template, { size: 32 }),
    }));
    expect(attempts).toBe(0);
    expect(result.check.valid).toBe(true);
    expect(result.compiled.ok).toBe(true);
  });

  it('report a broken document as problems, not as a refused eval', () => {
    const { result, attempts } = withoutFunctionConstructor(() =>
      checkGraph({ format: 'ganvas-graph', version: 1, nodes: 'none' }),
    );
    expect(attempts).toBe(0);
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.path)).toContain('nodes');
  });
});
