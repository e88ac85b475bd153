import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument, type GraphDocument } from '../../graph/document';
import { documentAsTrained, sampleRows } from './samples';
import { checkFor } from '../derived';
import { defaultSettings, deviceLimits, effectiveOverrides } from './settings';

function template(): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, '../../../templates/cyclegan.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  return parsed.document;
}

describe('the training panel', () => {
  test('overrides apply to the variables a graph has, of their type', () => {
    const doc = template();
    expect(effectiveOverrides(doc, { size: 64, ngf: 'wide', nothing: 1 })).toEqual({ size: 64 });
    expect(documentAsTrained(doc, { size: 64 }).variables.size!.value).toBe(64);
    expect(doc.variables.size!.value).toBe(256);
  });

  test("the settings' memory budget and the WebGPU device's buffers are what graphs are checked against", () => {
    const settings = { ...defaultSettings(), memoryBudgetGiB: 0.5 };
    const webgpu = {
      requested: 'webgpu' as const,
      backend: 'webgpu',
      bufferLimits: { maxBufferSize: 2 ** 32, maxStorageBufferBindingSize: 2 ** 31 },
    };
    const limits = deviceLimits(settings, webgpu);
    expect(limits).toMatchObject({ memoryBytes: 2 ** 29, ...webgpu.bufferLimits });
    const doc = template();
    const refused = checkFor(doc, limits).problems.filter((p) => p.code === 'budget');
    expect(refused.map((p) => p.message)).toEqual([
      expect.stringMatching(
        /the limit is 512 MiB \(raise the memory budget in the training settings\)/,
      ),
    ]);
    const raised = deviceLimits({ ...settings, memoryBudgetGiB: 64 }, webgpu);
    expect(checkFor(doc, raised).problems.filter((p) => p.code === 'budget')).toEqual([]);
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
});
