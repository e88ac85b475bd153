import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument, type GraphDocument } from '../../graph/document';
import { moveNodes, setVariable } from '../../graph/edits';
import { chartData, smoothLosses } from './lossCurves';
import { documentAsTrained, sampleRows } from './samples';
import { effectiveOverrides, trainingKey } from './settings';
import { nextBackend } from './trainingStore';

function template(): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, '../../../templates/cyclegan.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  return parsed.document;
}

describe('the training panel', () => {
  test('loss curves are smoothed by a debiased moving average; non-finite losses are gaps', () => {
    expect(smoothLosses([1, 2, 3], 0)).toEqual([1, 2, 3]);
    // Debiased: the first point is the first value, not half of it.
    const smoothed = smoothLosses([2, 4, Number.NaN, 4], 0.5);
    expect(smoothed[0]).toBe(2);
    expect(smoothed[1]).toBeCloseTo((0.25 * 2 + 0.5 * 4) / 0.75, 12);
    expect(smoothed[2]).toBeNull();
    expect(smoothed[3]).toBeGreaterThan(smoothed[1]!);
  });

  test('long histories are thinned for the chart, always through the last step', () => {
    const n = 10_001;
    const history = {
      steps: Array.from({ length: n }, (_, i) => i + 1),
      values: new Map([['G_A', Array.from({ length: n }, () => 1)]]),
    };
    const [x, y] = chartData(history, ['G_A', 'gone'], 0);
    expect(x.length).toBeLessThanOrEqual(2000);
    expect(x.at(-1)).toBe(n);
    expect(y).toHaveLength(x.length);
    const [, , gone] = chartData(history, ['G_A', 'gone'], 0);
    expect(gone!.every((v) => v === null)).toBe(true);
  });

  test('moving a node does not change what trains; a variable or an override does', () => {
    const doc = template();
    const key = trainingKey(doc, {});
    expect(trainingKey(moveNodes(doc, { fake_B: { x: 1, y: 2 } }), {})).toBe(key);
    expect(trainingKey(setVariable(doc, 'lr', 1e-4), {})).not.toBe(key);
    expect(trainingKey(doc, { size: 64 })).not.toBe(key);
  });

  test('overrides apply to the variables a graph has, of their type', () => {
    const doc = template();
    expect(effectiveOverrides(doc, { size: 64, ngf: 'wide', nothing: 1 })).toEqual({ size: 64 });
    expect(documentAsTrained(doc, { size: 64 }).variables.size!.value).toBe(64);
    expect(doc.variables.size!.value).toBe(256);
  });

  test('samples are shown as CycleGAN shows them: real, translated, reconstructed per domain', () => {
    const ids = [
      'show_real_A',
      'show_real_B',
      'show_fake_B',
      'show_rec_A',
      'show_fake_A',
      'extra',
      'show_rec_B',
    ];
    const labels: Record<string, string> = {
      show_real_A: 'real_A',
      show_real_B: 'real_B',
      show_fake_B: 'fake_B',
      show_rec_A: 'rec_A',
      show_fake_A: 'fake_A',
      show_rec_B: 'rec_B',
    };
    const rows = sampleRows(ids.map((id) => ({ id, label: labels[id] ?? id })));
    expect(rows.map((r) => r.map((i) => i.id))).toEqual([
      ['show_real_A', 'show_fake_B', 'show_rec_A'],
      ['show_real_B', 'show_fake_A', 'show_rec_B'],
      ['extra'],
    ]);
  });

  test('after a failure, training goes on with the next slower backend', () => {
    expect(nextBackend('webgpu')).toBe('webgl');
    expect(nextBackend('webgl')).toBe('cpu');
    expect(nextBackend('cpu')).toBeNull();
  });
});
