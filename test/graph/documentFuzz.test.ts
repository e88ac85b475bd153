/**
 * The fuzz test of documents: seeded mutations of every template through parse, check and
 * compile. A timing limit is the exception to the no-timing rule here: a mutation that takes
 * more than a second would freeze the page that opens it. `scripts/fuzzDocuments.ts` runs
 * 100,000 on demand.
 */
import { describe, expect, it } from 'vitest';
import { fuzzDocuments, templates } from './documentFuzz';

/** Modest, so that CI stays fast: a few thousand, every template hundreds of times. */
const RUNS = 3000;

describe('fuzzed documents', () => {
  it(`${RUNS} seeded mutations of the templates end in a result: none throws, hangs, or pollutes`, () => {
    const report = fuzzDocuments({ count: RUNS, seed: 20_260_101 });
    expect(report.failures).toEqual([]);
    expect(report.runs).toBe(RUNS);
    expect(report.slowestMs).toBeLessThan(1000);
    // The mutations reach every stage: some compile, some are refused by parse, some by the checks.
    expect(report.outcomes.compiled).toBeGreaterThan(0);
    expect(report.outcomes.parseRefused).toBeGreaterThan(0);
    expect(report.outcomes.checkRefused).toBeGreaterThan(0);
    expect(templates.length).toBeGreaterThanOrEqual(12);
  });

  it('a run that throws, or takes too long, is reported with the seed that reproduces it', () => {
    const report = fuzzDocuments({ count: 3, seed: 5, timeLimitMs: 0 });
    expect(report.failures.map((f) => f.seed)).toEqual([5, 6, 7]);
    expect(report.failures[0]!.what).toMatch(/^took \d+ ms$/);
  });
});
