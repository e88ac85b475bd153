import { describe, expect, it } from 'vitest';
import type { RunHistory } from '../../runtime/worker/protocol';
import { readRunFile, runFileText, runFromLog } from './runFile';
import { sampleBytes, thinToBudget, withLossSeries, type RunRecord } from './runRecord';
import { aRun } from './runFixture';
import { keepRun, memoryRuns } from './runStore';
import { readFileSync } from 'node:fs';
import { parseDocument } from '../../graph/document';

const image = (id: string, bytes: number) => ({
  id,
  label: id,
  width: 1,
  height: bytes / 4,
  rgba: new Uint8ClampedArray(bytes).fill(7),
});

function run(id: string, updatedAt: string, samples: number, pinned = false): RunRecord {
  return aRun({
    id,
    step: samples * 10,
    startedAt: updatedAt,
    updatedAt,
    samples: Array.from({ length: samples }, (_, i) => ({
      step: i * 10,
      images: [image('x', 100)],
    })),
    pinned,
  });
}

function cyclegan() {
  const parsed = parseDocument(
    readFileSync(new URL('../../../templates/cyclegan.json', import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  return parsed.document;
}

describe('run records', () => {
  it('appends each step of a history to its term series once, labelled as the latest program names it', () => {
    const history = (types: string[]): RunHistory => ({
      segments: types.map((type, i) => ({
        revision: `r${i}`,
        start: i * 2,
        lossTerms: [{ id: 'cycle_A', label: 'cycle_A', type, weight: 10 }],
        records: [1, 2].map((s) => ({ step: i * 2 + s, losses: { cycle_A: s } })),
      })),
    });
    const once = withLossSeries({}, history(['L1']));
    expect(once['loss:cycle_A']!.points).toEqual([
      [1, 1],
      [2, 2],
    ]);
    const twice = withLossSeries(once, history(['L1', 'L2']));
    expect(twice['loss:cycle_A']!.points.map(([s]) => s)).toEqual([1, 2, 3, 4]);
    expect(twice['loss:cycle_A']!.label).toBe('cycle_A · L2');
    // The record it grew from is left as it was.
    expect(once['loss:cycle_A']!.points).toHaveLength(2);
  });

  it('thins the oldest unpinned run first, every other sample, keeping its first and last', () => {
    const records = [
      run('old', '2026-01-01', 5),
      run('pinned', '2025-01-01', 5, true),
      run('new', '2026-02-01', 5),
    ];
    const total = records.reduce((n, r) => n + sampleBytes(r), 0);
    const changed = thinToBudget(records, total - 200);
    expect(changed.map((r) => r.id)).toEqual(['old']);
    expect(changed[0]!.samples.map((s) => s.step)).toEqual([0, 20, 40]);
    expect(thinToBudget(records, total)).toEqual([]);
  });

  it('keeps a run in the store within the budget', async () => {
    const storage = memoryRuns();
    await keepRun(run('a', '2026-01-01', 6), storage, 1000);
    await keepRun(run('b', '2026-01-02', 6), storage, 1000);
    const all = await storage.list();
    expect(all.reduce((n, r) => n + sampleBytes(r), 0)).toBeLessThanOrEqual(1000);
    expect(all.find((r) => r.id === 'b')!.samples).toHaveLength(6);
  });
});

describe('run files', () => {
  it('reads back what it wrote: curves, samples byte for byte, and the checkpoint', () => {
    const record = { ...run('a', '2026-01-01', 2), pinned: true };
    record.series = {
      'loss:G_A': { kind: 'loss', name: 'G_A', label: 'G_A · LSGAN', points: [[1, 0.5]] },
    };
    const read = readRunFile(runFileText(record, new Uint8Array([1, 2, 3])));
    if (!read.ok) return expect.fail(read.message);
    expect(read.record.series).toEqual(record.series);
    expect(read.record.samples[1]!.images[0]!.rgba).toEqual(record.samples[1]!.images[0]!.rgba);
    expect(read.record.origin).toBe('import');
    expect([...read.checkpoint!]).toEqual([1, 2, 3]);
  });

  it('keeps a batch of samples, views of larger buffers, diverged losses and graphs; drops where a checkpoint was kept', () => {
    const doc = { ...cyclegan(), id: 'doc-1' };
    const buffer = new Uint8ClampedArray(64).map((_, i) => i);
    const record: RunRecord = {
      ...run('b', '2026-01-01T00:00:00.000Z', 1),
      graphs: { r1: doc },
      segments: [{ revision: 'r1', start: 0 }],
      series: {
        'loss:D_A': { kind: 'loss', name: 'D_A', label: 'D_A', points: [[1, Number.NaN]] },
      },
      checkpoint: { documentId: 'doc-1', step: 20 },
    };
    // A 2×2 image and three more of the batch, each 16 bytes of one buffer.
    record.samples[0]!.images = [
      {
        id: 'fake',
        label: 'fake',
        width: 2,
        height: 2,
        rgba: buffer.subarray(0, 16),
        more: [buffer.subarray(16, 32), buffer.subarray(32, 48), buffer.subarray(48, 64)],
      },
    ];
    const read = readRunFile(runFileText(record));
    if (!read.ok) return expect.fail(read.message);
    const [image] = read.record.samples[0]!.images;
    expect([...image!.rgba]).toEqual([...buffer.subarray(0, 16)]);
    expect(image!.more!.map((m) => [...m])).toEqual(
      [16, 32, 48].map((at) => [...buffer.subarray(at, at + 16)]),
    );
    expect(Number.isNaN(read.record.series['loss:D_A']!.points[0]![1])).toBe(true);
    expect(read.record.graphs.r1).toEqual(doc);
    expect(read.record.checkpoint).toBeUndefined();
    expect(read.checkpoint).toBeUndefined();
  });

  it('refuses a damaged or crafted run file, naming the place', () => {
    const valid = JSON.parse(runFileText(run('c', '2026-01-01T00:00:00.000Z', 1))) as {
      run: Record<string, unknown> & { samples: { images: Record<string, unknown>[] }[] };
    };
    const refused = (change: (file: typeof valid) => void) => {
      const file = structuredClone(valid);
      change(file);
      const read = readRunFile(JSON.stringify(file));
      return read.ok ? 'read' : read.message;
    };
    expect(refused(() => {})).toBe('read');
    expect(refused((f) => (f.run.samples[0]!.images[0]!.width = 100_000))).toMatch(
      /^not a run file: run\.samples\[0\]\.images\[0\]\.width: /,
    );
    expect(refused((f) => (f.run.samples[0]!.images[0]!.height = 2))).toBe(
      'not a run file: run.samples[0].images[0].rgba: expected the 8 RGBA bytes of a 1×2 image in base64 (12 characters), found 136 characters',
    );
    expect(refused((f) => (f.run.series = { 'loss:G': { kind: 'loss', points: 5 } }))).toMatch(
      /^not a run file: run\.series\["loss:G"\]\.name: /,
    );
    expect(refused((f) => (f.run.startedAt = 'yesterday'))).toMatch(
      /^not a run file: run\.startedAt: /,
    );
    expect(refused((f) => (f.run.graphs = { r1: { format: 'ganvas', nodes: 'none' } }))).toMatch(
      /^run\.graphs\.r1: /,
    );
    expect(refused((f) => Object.assign(f, { checkpoint: '***' }))).toBe(
      'not a run file: checkpoint: not base64',
    );
    expect(readRunFile('{').ok).toBe(false);
  });

  it('reads a ganvas train --log file as a run of the graph, each term a series', () => {
    const log = [
      { step: 1, losses: { G_A: 1.5, D_A: 0.5 }, stepMs: 200 },
      { step: 2, losses: { G_A: 1.25, D_A: null }, stepMs: 300 },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const doc = { ...cyclegan(), id: 'doc-2' };
    const read = runFromLog(log, 'run.jsonl', doc, { size: 32 });
    if (!read.ok) return expect.fail(read.message);
    expect(read.record.step).toBe(2);
    expect(read.record.trainingMs).toBe(500);
    expect(read.record.series['loss:G_A']!.points).toEqual([
      [1, 1.5],
      [2, 1.25],
    ]);
    expect(Number.isNaN(read.record.series['loss:D_A']!.points[1]![1])).toBe(true);
    expect(runFromLog('{"step": 1}\n', 'bad.jsonl', doc, {})).toEqual({
      ok: false,
      message: 'bad.jsonl, line 1: expected {"step", "losses"}',
    });
  });
});
