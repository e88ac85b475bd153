import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseDocument } from '../../src/graph/document';
import { createBuiltinDataset } from '../../src/runtime/data/builtin';
import type { TrainingEvent } from '../../src/runtime/worker/protocol';
import { TrainingSession } from '../../src/runtime/worker/trainingSession';

const parsed = parseDocument(
  readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('template does not parse');
const document = parsed.document;
const overrides = { size: 16, ngf: 4, ndf: 4, n_blocks: 1, n_layers_D: 2, pool_size: 2 };

async function session(resolver?: ConstructorParameters<typeof TrainingSession>[1]) {
  const s = new TrainingSession(tf, resolver);
  const events: TrainingEvent[] = [];
  await s.subscribe((e) => events.push(e));
  return { s, events };
}

const stepLosses = (events: TrainingEvent[]) =>
  events.flatMap((e) => (e.type === 'step' ? [e.losses] : []));

beforeAll(async () => {
  await tf.setBackend('cpu');
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
});
