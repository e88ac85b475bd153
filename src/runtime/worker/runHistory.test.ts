import { describe, expect, it } from 'vitest';
import type { LossTerm, RunHistory } from './protocol';
import { continueHistory, historyUpTo, startHistory } from './runHistory';

const term = (type: string): LossTerm => ({ id: 'cycle_A', label: 'cycle_A', type, weight: 10 });
const l1 = { revision: 'r1', lossTerms: [term('L1')] };
const l2 = { revision: 'r2', lossTerms: [term('L2')] };

function trained(history: RunHistory, from: number, to: number): RunHistory {
  for (let step = from; step <= to; step++) {
    history.segments.at(-1)!.records.push({ step, losses: { cycle_A: step } });
  }
  return history;
}

describe('a run history in segments', () => {
  it('a fresh run has one empty segment from its first step', () => {
    expect(startHistory(l1, 0)).toEqual({
      segments: [{ revision: 'r1', start: 0, lossTerms: l1.lossTerms, records: [] }],
    });
  });

  it('the same revision goes on in the same segment', () => {
    const history = trained(startHistory(l1, 0), 1, 3);
    const continued = continueHistory(history, l1, 3);
    expect(continued.segments).toHaveLength(1);
    expect(continued.segments[0]!.records.map((r) => r.step)).toEqual([1, 2, 3]);
  });

  it('another revision begins a segment at the step, the steps before keep their terms', () => {
    const history = trained(startHistory(l1, 0), 1, 3);
    const continued = trained(continueHistory(history, l2, 3), 4, 5);
    expect(continued.segments.map((s) => [s.start, s.lossTerms[0]!.type])).toEqual([
      [0, 'L1'],
      [3, 'L2'],
    ]);
    expect(continued.segments[1]!.records.map((r) => r.step)).toEqual([4, 5]);
    // Appending to the continued history leaves the one it came from alone.
    expect(history.segments[0]!.records).toHaveLength(3);
  });

  it('an edit before any step of a segment replaces that segment', () => {
    const history = continueHistory(trained(startHistory(l1, 0), 1, 2), l2, 2);
    const again = continueHistory(history, { revision: 'r3', lossTerms: [term('BCE')] }, 2);
    expect(again.segments.map((s) => s.revision)).toEqual(['r1', 'r3']);
  });

  it('up to a step: later records and segments that begin after it go', () => {
    const history = trained(continueHistory(trained(startHistory(l1, 0), 1, 3), l2, 3), 4, 6);
    expect(historyUpTo(history, 2).segments.map((s) => s.records.map((r) => r.step))).toEqual([
      [1, 2],
    ]);
    expect(historyUpTo(history, 5).segments.map((s) => s.records.map((r) => r.step))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });
});
