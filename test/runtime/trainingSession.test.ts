import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseDocument, type GraphDocument } from '../../src/graph/document';
import { setParam } from '../../src/graph/edits';
import { selectBackend } from '../../src/runtime/backends/select';
import { createBuiltinDataset } from '../../src/runtime/data/builtin';
import { decodeImageInNode } from '../../src/runtime/data/decodeNode';
import type { GraphModelJson } from '../../src/runtime/export/graphModel';
import type { DatasetFile, TrainingEvent } from '../../src/runtime/worker/protocol';
import { TrainingSession } from '../../src/runtime/worker/trainingSession';
import { datasetFiles, gradient, pngBytes } from '../data/imageFiles';

const parsed = parseDocument(
  readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('template does not parse');
const document = parsed.document;
const overrides = { size: 16, ngf: 4, ndf: 4, n_blocks: 1, n_layers_D: 2, pool_size: 2 };

async function session(resolver?: ConstructorParameters<typeof TrainingSession>[1]) {
  const s = new TrainingSession(tf, resolver, { decodeImage: decodeImageInNode });
  const events: TrainingEvent[] = [];
  await s.subscribe((e) => events.push(e));
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
    expect(events.at(-2)).toMatchObject({
      type: 'state',
      state: 'paused',
      reason: 'reached step 4',
    });
    expect(events.at(-1)).toMatchObject({ type: 'checkpoint', step: 4 });
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

  it('a non-finite loss pauses training and names the term and the step', async () => {
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
    expect(paused).toMatchObject({
      state: 'paused',
      reason: expect.stringMatching(/^loss "idt_A" became NaN at step 1$/),
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
    const decaying = setParam(
      setParam(document, 'opt_G', 'constantSteps', 1),
      'opt_G',
      'decaySteps',
      2,
    );
    await s.load({ document: decaying, overrides, seed: 5 });
    await s.run({ until: 3, samplesEvery: 2 });
    const rates = events.flatMap((e) => (e.type === 'step' ? [e.learningRates] : []));
    expect(rates.map((r) => r.opt_G)).toEqual([2e-4, 2e-4, 1e-4]);
    expect(rates.map((r) => r.opt_D)).toEqual([2e-4, 2e-4, 2e-4]);
    const samples = events.flatMap((e) => (e.type === 'samples' ? [e.step] : []));
    expect(samples).toEqual([2, 3]);
  });

  it('refuses a checkpoint of another graph, and a damaged one, with the reason; training goes on', async () => {
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
          message: expect.stringMatching(
            /^this checkpoint is of another graph: weight "G_A\.[^"]+" is [\d×]+ there and [\d×]+ here/,
          ),
        },
      ],
    });
    const damaged = await s.resume(bytes.slice(0, 60));
    expect(damaged.ok).toBe(false);
    if (!damaged.ok) expect(damaged.problems[0]!.message).toMatch(/^damaged or not a checkpoint/);
    await s.run({ until: 3 });
    expect(stepLosses(events)).toHaveLength(3);
  });

  it('carries the trained state over to an edited graph it fits, and refuses one it does not', async () => {
    const { s, events } = await session();
    await s.load({ document, overrides, seed: 5 });
    await s.run({ until: 2 });
    const heavier = await s.continueWith({ document, overrides: { ...overrides, lambda_A: 5 } });
    expect(heavier).toMatchObject({ ok: true, step: 2, history: [{ step: 1 }, { step: 2 }] });
    if (heavier.ok) {
      expect(heavier.lossTerms.find((t) => t.id === 'cycle_A')?.weight).toBe(5);
    }
    // Larger images would fit the weights of these convolutional networks, not the pooled images.
    const larger = await s.continueWith({ document, overrides: { ...overrides, size: 24 } });
    expect(larger.ok).toBe(false);
    if (!larger.ok) expect(larger.problems[0]!.message).toContain('image pool');
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

    const onFolder = (source: string): GraphDocument =>
      setParam(document, 'data', 'source', source);
    const missing = await s.load({ document: onFolder('folder:elsewhere'), overrides });
    expect(missing).toMatchObject({
      ok: false,
      problems: [
        {
          nodeId: 'data',
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
