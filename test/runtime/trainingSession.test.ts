import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseDocument, withDocumentId, type GraphDocument } from '../../src/graph/document';
import { setParam } from '../../src/graph/edits';
import { selectBackend } from '../../src/runtime/backends/select';
import { createBuiltinDataset } from '../../src/runtime/data/builtin';
import { decodeImageInNode } from '../../src/runtime/data/decodeNode';
import type { GraphModelJson } from '../../src/runtime/export/graphModel';
import { TrainingEvent, type DatasetFile } from '../../src/runtime/worker/protocol';
import { TrainingSession } from '../../src/runtime/worker/trainingSession';
import { datasetFiles, gradient, pngBytes } from '../data/imageFiles';

const parsed = parseDocument(
  readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('template does not parse');
const document = withDocumentId(parsed.document);
const overrides = { size: 16, ngf: 4, ndf: 4, n_blocks: 1, n_layers_D: 2, pool_size: 2 };
/** An edit of the same document: it keeps the document's id. */
const edited = (doc: GraphDocument) => withDocumentId({ ...doc, id: document.id });

/** Events the protocol does not describe, from any session of any test. */
let undescribed: unknown[] = [];
afterEach(() => {
  expect(undescribed).toEqual([]);
  undescribed = [];
});

async function session(resolver?: ConstructorParameters<typeof TrainingSession>[1]) {
  const s = new TrainingSession(tf, resolver, { decodeImage: decodeImageInNode });
  const events: TrainingEvent[] = [];
  await s.subscribe((e) => {
    events.push(e);
    const parsed = TrainingEvent.safeParse(e);
    if (!parsed.success) undescribed.push({ event: e, issues: parsed.error.issues });
  });
  return { s, events };
}

const stepLosses = (events: TrainingEvent[]) =>
  events.flatMap((e) => (e.type === 'step' ? [e.losses] : []));

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

describe('the training session behind the worker', () => {
  it('runs to a step count, reporting every step, samples and a checkpoint on pause', async () => {
    const { s, events } = await session();
    const loaded = await s.load({ document, overrides, seed: 5 });
    expect(loaded).toMatchObject({ ok: true, losses: expect.arrayContaining(['cycle_A', 'D_B']) });
    await s.run({ until: 4, samplesEvery: 2 });
    expect(stepLosses(events)).toHaveLength(4);
    const samples = events.filter((e) => e.type === 'samples');
    expect(samples).toHaveLength(2);
    const grid = samples[1]!.type === 'samples' ? samples[1]!.samples : [];
    expect(grid.map((g) => g.id)).toEqual(expect.arrayContaining(['show_fake_B', 'show_rec_A']));
    expect(grid[0]!.rgba.length).toBe(16 * 16 * 4);
    expect(events.at(-2)).toEqual({
      type: 'state',
      state: 'paused',
      step: 4,
      reason: { kind: 'target-reached', step: 4 },
    });
    expect(events.at(-1)).toMatchObject({ type: 'checkpoint', step: 4 });
  });

  it('refuses a graph over the memory budget the request gives, before making a trainer', async () => {
    const { s } = await session();
    const before = tf.memory().numTensors;
    const refused = await s.load({ document, overrides, memoryBudget: 2 ** 20 });
    expect(refused.ok).toBe(false);
    const problem = !refused.ok ? refused.problems[0] : undefined;
    expect(problem?.code).toBe('budget');
    expect(problem?.message).toMatch(/a training step needs about .* the limit is 1 MiB/);
    expect(tf.memory().numTensors).toBe(before);
    expect((await s.load({ document, overrides, memoryBudget: 2 ** 30 })).ok).toBe(true);
  });

  it('pausing and resuming from the checkpoint gives the losses of an uninterrupted run', async () => {
    const straight = await session();
    await straight.s.load({ document, overrides, seed: 5 });
    await straight.s.run({ until: 8 });

    const first = await session();
    await first.s.load({ document, overrides, seed: 5 });
    // Pause from the outside while it runs, as the Pause button does.
    first.events.length = 0;
    const running = first.s.run();
    await new Promise<void>((resolve) => {
      void first.s.subscribe((e) => {
        if (e.type === 'step' && e.step === 3) resolve();
      });
    });
    await first.s.pause();
    await running;
    // The step under way when Pause arrives completes; the checkpoint is taken after it.
    const checkpoint = first.events.findLast((e) => e.type === 'checkpoint');
    if (checkpoint?.type !== 'checkpoint') throw new Error('no checkpoint on pause');
    expect(checkpoint.step).toBeGreaterThanOrEqual(3);
    expect(checkpoint.step).toBeLessThan(8);
    expect(stepLosses(first.events)).toEqual(stepLosses(straight.events).slice(0, checkpoint.step));

    const second = await session();
    const resumed = await second.s.resume(checkpoint.bytes);
    expect(resumed).toMatchObject({ ok: true, step: checkpoint.step });
    await second.s.run({ until: 8 });
    expect(stepLosses(second.events)).toEqual(stepLosses(straight.events).slice(checkpoint.step));
  });

  it('a non-finite loss pauses training, with the term, the step and the value as data', async () => {
    // A dataset whose images hold NaN: every loss that sees them is NaN at step 1.
    const poisoned = (_source: string, size: number) => {
      const clean = createBuiltinDataset('daynight', size);
      return { ...clean, trainImage: () => new Float32Array(size * size * 3).fill(Number.NaN) };
    };
    const { s, events } = await session(poisoned);
    await s.load({ document, overrides });
    await s.run({ until: 10 });
    expect(stepLosses(events)).toHaveLength(1);
    const paused = events.findLast((e) => e.type === 'state');
    expect(paused).toEqual({
      type: 'state',
      state: 'paused',
      step: 1,
      reason: { kind: 'nan', term: 'idt_A', step: 1, value: Number.NaN },
    });
  });

  it('a graph with problems does not load, and says where', async () => {
    const { s } = await session();
    const broken = structuredClone(document);
    broken.edges = broken.edges.filter((e) => e.target !== 'cycle_A');
    const result = await s.load({ document: broken, overrides });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.some((p) => p.nodeId === 'cycle_A')).toBe(true);
  });

  it('reports the learning rate of every step, and the samples of the step it pauses at', async () => {
    const { s, events } = await session();
    // Constant for one step, then linear decay to zero over two: the reference's policy.
    const decaying = edited(
      setParam(setParam(document, 'opt_G', 'constantSteps', 1), 'opt_G', 'decaySteps', 2),
    );
    await s.load({ document: decaying, overrides, seed: 5 });
    await s.run({ until: 3, samplesEvery: 2 });
    const rates = events.flatMap((e) => (e.type === 'step' ? [e.learningRates] : []));
    expect(rates.map((r) => r.opt_G)).toEqual([2e-4, 2e-4, 1e-4]);
    expect(rates.map((r) => r.opt_D)).toEqual([2e-4, 2e-4, 2e-4]);
    const samples = events.flatMap((e) => (e.type === 'samples' ? [e.step] : []));
    expect(samples).toEqual([2, 3]);
  });

  it('refuses a checkpoint of another graph, and a damaged one, as a refusal with the reason; training goes on', async () => {
    const { s, events } = await session();
    await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 2 });
    const bytes = await s.checkpoint();
    const other = await s.resume(bytes, { document, overrides: { ...overrides, ngf: 8 } });
    expect(other).toEqual({
      ok: false,
      problems: [
        {
          path: 'checkpoint',
          code: 'checkpoint-refused',
          message: expect.stringMatching(
            /^this checkpoint is of another graph: weight "G_A\.[^"]+" is [\d×]+ there and [\d×]+ here/,
          ),
        },
      ],
    });
    const damaged = await s.resume(bytes.slice(0, 60));
    expect(damaged.ok).toBe(false);
    if (!damaged.ok) {
      expect(damaged.problems[0]).toMatchObject({
        code: 'checkpoint-refused',
        message: expect.stringMatching(/^damaged or not a checkpoint/),
      });
    }
    await s.run({ until: 3 });
    expect(stepLosses(events)).toHaveLength(3);
  });

  it('carries the trained state over to an edited graph it fits, and refuses one it does not', async () => {
    const { s, events } = await session();
    await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 2 });
    const heavier = await s.continueWith({ document, overrides: { ...overrides, lambda_A: 5 } });
    // Another weight is another program: its steps begin a segment of their own.
    expect(heavier).toMatchObject({
      ok: true,
      step: 2,
      history: { segments: [{ start: 0, records: [{ step: 1 }, { step: 2 }] }, { start: 2 }] },
    });
    if (heavier.ok) {
      expect(heavier.lossTerms.find((t) => t.id === 'cycle_A')?.weight).toBe(5);
    }
    // Larger images would fit the weights of these convolutional networks, not the pooled images.
    const larger = await s.continueWith({ document, overrides: { ...overrides, size: 24 } });
    expect(larger.ok).toBe(false);
    if (!larger.ok) {
      expect(larger.problems[0]).toMatchObject({
        code: 'checkpoint-refused',
        message: expect.stringContaining('image pool'),
      });
    }
    const wider = await s.continueWith({ document, overrides: { ...overrides, ngf: 8 } });
    expect(wider.ok).toBe(false);
    if (!wider.ok) {
      expect(wider.problems[0]!.message).toMatch(
        /^the trained weights do not fit the edited graph/,
      );
    }
    await s.run({ until: 3 });
    expect(stepLosses(events).map((l) => Number.isFinite(l.cycle_A))).toEqual([true, true, true]);
  });

  it('continuing with the same graph goes on in the same segment of the history', async () => {
    const { s } = await session();
    await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 2 });
    const same = await s.continueWith({ document, overrides, seed: 5 });
    expect(same).toMatchObject({ ok: true, step: 2 });
    if (!same.ok) return;
    expect(same.history.segments).toHaveLength(1);
    expect(same.history.segments[0]!.revision).toBe(same.revision);
    await s.run({ until: 3 });
    const records = s.trainedRun()!.history.segments.map((g) => g.records.map((r) => r.step));
    expect(records).toEqual([[1, 2, 3]]);
  });

  it('an edit that changes a kind of loss begins a segment with the new kind; the steps before keep the old', async () => {
    const { s } = await session();
    const first = await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 2 });
    const l2 = await s.continueWith({
      document: edited(setParam(document, 'cycle_A', 'type', 'l2')),
      overrides,
    });
    await s.run({ until: 3 });
    if (!first.ok || !l2.ok) throw new Error('did not load');
    expect(l2.revision).not.toBe(first.revision);
    const segments = s.trainedRun()!.history.segments;
    const cycleType = (i: number) => segments[i]!.lossTerms.find((t) => t.id === 'cycle_A')?.type;
    expect(segments.map((g) => [g.revision, g.start, g.records.map((r) => r.step)])).toEqual([
      [first.revision, 0, [1, 2]],
      [l2.revision, 2, [3]],
    ]);
    expect([cycleType(0), cycleType(1)]).toEqual(['l1', 'l2']);
  });

  it('a run belongs to its document: continuing another document is refused', async () => {
    const { s } = await session();
    await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 1 });
    const other = await s.continueWith({ document: { ...document, id: 'doc-other' }, overrides });
    expect(other).toMatchObject({ ok: false, problems: [{ code: 'checkpoint-refused' }] });
    expect(s.trainedRun()?.documentId).toBe(document.id);
  });

  it('a resumed checkpoint keeps the history up to its step, and begins a segment where the graph differs', async () => {
    const { s, events } = await session();
    await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 4, checkpointEvery: 2 });
    const atTwo = events.find((e) => e.type === 'checkpoint' && e.step === 2);
    if (atTwo?.type !== 'checkpoint') throw new Error('no checkpoint at step 2');
    const history = s.trainedRun()!.history;

    const same = await s.resume(atTwo.bytes, { document, overrides }, history);
    expect(same).toMatchObject({
      ok: true,
      documentId: document.id,
      step: 2,
      history: { segments: [{ start: 0, records: [{ step: 1 }, { step: 2 }] }] },
    });
    const heavier = await s.resume(
      atTwo.bytes,
      { document, overrides: { ...overrides, lambda_A: 5 } },
      history,
    );
    if (!same.ok || !heavier.ok) throw new Error('did not resume');
    expect(heavier.history.segments.map((g) => [g.revision, g.start, g.records.length])).toEqual([
      [same.revision, 0, 2],
      [heavier.revision, 2, 0],
    ]);
    // A checkpoint file alone: its own graph and document, one empty segment at its step.
    const alone = await s.resume(atTwo.bytes);
    expect(alone).toMatchObject({
      ok: true,
      documentId: document.id,
      revision: same.revision,
      history: { segments: [{ start: 2, records: [] }] },
    });
  });

  it('every event of a short run is one the protocol describes', async () => {
    const { s, events } = await session();
    await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 2, samplesEvery: 1, checkpointEvery: 1 });
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(['state', 'step', 'samples', 'checkpoint']),
    );
    expect(events.filter((e) => !TrainingEvent.safeParse(e).success)).toEqual([]);
  });

  it('trains on a folder or a zip of images, reporting the corrupt file; a source not loaded is a problem', async () => {
    const { s, events } = await session();
    const files: DatasetFile[] = [...datasetFiles()].map(([path, bytes]) => ({
      path: `horse2zebra/${path}`,
      file: new Blob([bytes as BlobPart]),
    }));
    const added = await s.addDataset('folder:horse2zebra', 'horse2zebra', files, 16);
    expect(added).toMatchObject({
      ok: true,
      report: {
        loaded: { trainA: 3, trainB: 2, testA: 1, testB: 0 },
        skipped: [
          { path: 'horse2zebra/trainA/broken.png', reason: 'corrupt: not a PNG or JPEG image' },
        ],
      },
    });
    expect(events.some((e) => e.type === 'dataset-progress' && e.done === e.total)).toBe(true);
    const zip = zipSync(Object.fromEntries(datasetFiles()));
    const zipped = await s.addDataset(
      'folder:zebras',
      'zebras',
      [{ path: 'zebras.zip', file: new Blob([zip]) }],
      16,
    );
    expect(zipped).toMatchObject({ ok: true, report: { loaded: { trainA: 3, trainB: 2 } } });

    const onFolder = (source: string) => edited(setParam(document, 'data', 'source', source));
    const missing = await s.load({ document: onFolder('folder:elsewhere'), overrides });
    expect(missing).toMatchObject({
      ok: false,
      problems: [
        {
          nodeId: 'data',
          code: 'dataset-missing',
          message: expect.stringContaining('"folder:elsewhere" is not loaded here'),
        },
      ],
    });
    const loaded = await s.load({ document: onFolder('folder:horse2zebra'), overrides, seed: 2 });
    expect(loaded.ok).toBe(true);
    await s.run({ until: 1, samplesEvery: 1 });
    const samples = events.findLast((e) => e.type === 'samples');
    const realA =
      samples?.type === 'samples' ? samples.samples.find((i) => i.id === 'show_real_A') : undefined;
    // The folder's gradients: red rises from left to right along a row.
    expect(realA!.rgba[(8 * 16 + 15) * 4]! - realA!.rgba[8 * 16 * 4]!).toBeGreaterThan(100);
  });

  it('translates an image with a trained generator, and exports it as a graph model that computes the same', async () => {
    const { s } = await session();
    await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 1 });
    const image = new Blob([pngBytes(40, 30, gradient(40, 30, 7)) as BlobPart]);
    const translation = await s.translate('G_A', image);
    expect(translation.shape).toEqual([1, 16, 16, 3]);
    expect(translation.output.rgba).toHaveLength(16 * 16 * 4);
    const exported = await s.exportNetwork('G_A');
    const files = unzipSync(exported.zip);
    expect(Object.keys(files).sort()).toEqual(['model.json', 'weights.bin']);
    const json = JSON.parse(strFromU8(files['model.json']!)) as GraphModelJson;
    const model = await tf.loadGraphModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0]!.weights,
        weightData: files['weights.bin']!.slice().buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        signature: json.signature,
      }),
    );
    const input = tf.tensor(translation.inputValues, [1, 16, 16, 3]);
    const output = model.predict(input) as tf.Tensor;
    const values = await output.data();
    // The same cpu kernels on both sides: float32 rounding only (tolerance 1e-5).
    const difference = Math.max(
      ...translation.outputValues.map((v, i) => Math.abs(v - values[i]!)),
    );
    expect(difference).toBeLessThan(1e-5);
    tf.dispose([input, output]);
    model.dispose();
  });
});
