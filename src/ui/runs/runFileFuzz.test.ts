/**
 * Run files travel between people like graphs do: seeded mutations of one (its graphs, curves and
 * samples) end in a run or a refusal that names its place; none throws or pollutes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mutate, type Json } from '../../../test/graph/documentFuzz';
import { parseDocument } from '../../graph/document';
import { createRandom } from '../../runtime/data/random';
import { readRunFile, runFileText } from './runFile';
import { aRun } from './runFixture';

const RUNS = 1500;

function runFile(): string {
  const parsed = parseDocument(
    readFileSync(new URL('../../../templates/cyclegan.json', import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  const image = (fill: number) => new Uint8ClampedArray(2 * 2 * 4).fill(fill);
  const record = aRun({
    segments: [{ revision: 'r1', start: 0 }],
    graphs: { r1: parsed.document },
    overrides: { size: 16 },
    step: 2,
    updatedAt: '2026-12-01T00:01:00.000Z',
    trainingMs: 1000,
    series: {
      'loss:G_A': {
        kind: 'loss',
        name: 'G_A',
        label: 'G_A',
        points: [
          [1, 0.5],
          [2, 0.25],
        ],
      },
    },
    samples: [
      {
        step: 2,
        images: [
          { id: 'fake', label: 'fake', width: 2, height: 2, rgba: image(1), more: [image(2)] },
        ],
      },
    ],
  });

  return runFileText(record, new Uint8Array([1, 2, 3, 4]));
}

describe('fuzzed run files', () => {
  it(`${RUNS} seeded mutations end in a run or a refusal naming its place`, () => {
    const text = runFile();
    const prototype = Object.getOwnPropertyNames(Object.prototype).join();
    const outcomes = { read: 0, refused: 0 };
    for (let seed = 0; seed < RUNS; seed++) {
      const random = createRandom(seed);
      const file = JSON.parse(text) as Json;
      for (let edits = 1 + random.int(3); edits > 0; edits--) mutate(random, file);
      let mutated: string;
      try {
        mutated = JSON.stringify(file);
      } catch {
        // Nested past what JSON.stringify recurses through: the deep texts are tried below.
        continue;
      }
      const read = readRunFile(mutated);
      if (read.ok) outcomes.read++;
      else {
        outcomes.refused++;
        expect(read.message, `seed ${seed}`).toMatch(
          /^(not a run file: \S.*|run\.graphs\S*: \S.*)$/,
        );
      }
    }
    expect(Object.getOwnPropertyNames(Object.prototype).join()).toBe(prototype);
    expect(outcomes.read).toBeGreaterThan(0);
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('nested 100,000 deep, anywhere, is a refusal', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const valid = JSON.parse(runFile()) as { run: Record<string, unknown> };
    const at = (key: string) =>
      JSON.stringify({ ...valid, run: { ...valid.run, [key]: '@' } }).replace('"@"', deep);
    for (const text of [deep, at('series'), at('samples'), at('overrides')]) {
      expect(readRunFile(text)).toMatchObject({ ok: false, message: /^not a run file: / });
    }
    const graph = JSON.stringify({ ...valid, run: { ...valid.run, graphs: { r1: '@' } } });
    expect(readRunFile(graph.replace('"@"', deep))).toMatchObject({
      ok: false,
      message: /^run\.graphs\.r1: /,
    });
  });
});
