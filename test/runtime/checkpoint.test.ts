import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { parseDocument, type GraphDocument } from '../../src/graph/document';
import { selectBackend } from '../../src/runtime/backends/select';
import { readCheckpoint, writeCheckpoint, CheckpointError } from '../../src/runtime/checkpoint';
import { compileGraph } from '../../src/runtime/compile';
import { DataBatchSource } from '../../src/runtime/data/batches';
import { writeSafeTensors } from '../../src/runtime/safetensors';
import { Trainer } from '../../src/runtime/trainer';

const parsed = parseDocument(
  readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('template does not parse');
const document: GraphDocument = parsed.document;
// Pools of 2 fill at step 2, so later steps draw on the random state to pick stored images.
const tiny = { size: 16, ngf: 4, ndf: 4, n_blocks: 1, n_layers_D: 2, pool_size: 2 };

function trainer(overrides: Record<string, number>, seed: number): Trainer {
  const compiled = compileGraph(document, overrides);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
  return new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed });
}

async function losses(t: Trainer, steps: number) {
  const out: Record<string, number>[] = [];
  for (let i = 0; i < steps; i++) out.push((await t.step()).losses);
  return out;
}

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

describe('checkpoints', () => {
  it('resuming continues exactly: the losses after resuming equal an uninterrupted run', async () => {
    const straight = trainer(tiny, 7);
    const expected = await losses(straight, 6);
    straight.dispose();

    const first = trainer(tiny, 7);
    await losses(first, 3);
    const bytes = writeCheckpoint({
      document,
      overrides: tiny,
      state: await first.saveState(),
      savedAt: new Date(0).toISOString(),
    });
    first.dispose();

    const checkpoint = readCheckpoint(bytes);
    expect(checkpoint.state.step).toBe(3);
    expect(checkpoint.document).toEqual(document);
    // A different seed: everything that matters must come from the checkpoint.
    const resumed = trainer(checkpoint.overrides as Record<string, number>, 99);
    resumed.loadState(checkpoint.state);
    const after = await losses(resumed, 3);
    expect(resumed.completedSteps).toBe(6);
    expect(after).toEqual(expected.slice(3));
    resumed.dispose();
  });

  it('a checkpoint of another graph is refused with a reason, and the trainer is untouched', async () => {
    const small = trainer(tiny, 1);
    await losses(small, 1);
    const state = await small.saveState();
    small.dispose();
    const wider = trainer({ ...tiny, ngf: 8 }, 1);
    const before = await wider.saveState();
    expect(() => wider.loadState(state)).toThrow(
      /weight "G_A\.model\.1\.weight" is 7×7×3×4 there and 7×7×3×8 here/,
    );
    const after = await wider.saveState();
    expect(after.weights.get('G_A.model.1.weight')!.data).toEqual(
      before.weights.get('G_A.model.1.weight')!.data,
    );
    wider.dispose();
  });

  it('a damaged or foreign file is refused with a reason', () => {
    expect(() => readCheckpoint(new Uint8Array([1, 2, 3]))).toThrow(CheckpointError);
    expect(() => readCheckpoint(new Uint8Array([1, 2, 3]))).toThrow(/damaged or not a checkpoint/);
    const plain = writeSafeTensors(new Map([['x', { shape: [1], data: new Float32Array([1]) }]]));
    expect(() => readCheckpoint(plain)).toThrow('not a Ganvas checkpoint');
    const noWeights = writeSafeTensors(new Map(), {
      ganvas: JSON.stringify({ format: 'ganvas-checkpoint', version: 1 }),
    });
    expect(() => readCheckpoint(noWeights)).toThrow(/damaged checkpoint: metadata/);
  });

  it('a truncated checkpoint is refused', async () => {
    const t = trainer(tiny, 1);
    const bytes = writeCheckpoint({
      document,
      overrides: tiny,
      state: await t.saveState(),
      savedAt: '',
    });
    t.dispose();
    expect(() => readCheckpoint(bytes.subarray(0, bytes.length - 100))).toThrow(
      /damaged or not a checkpoint/,
    );
  });
});

describe('checkpoints and image size', () => {
  it('a checkpoint saved at another image size is refused, though its weights would fit', async () => {
    const small = trainer(tiny, 1);
    await losses(small, 1);
    const state = await small.saveState();
    small.dispose();
    const larger = trainer({ ...tiny, size: 32 }, 1);
    expect(() => larger.loadState(state)).toThrow(
      'its image pool "pool_B" holds 1×16×16×3 images and this graph makes 1×32×32×3: it was saved at another image size',
    );
    larger.dispose();
  });
});

describe('checkpoints and state kept by graph nodes', () => {
  it("BEGAN's k_t travels in the checkpoint, so a resumed run continues exactly", async () => {
    const began = parseDocument(
      readFileSync(new URL('../../templates/began.json', import.meta.url), 'utf8'),
    );
    if (!began.ok) throw new Error('began template does not parse');
    const overrides = { size: 8, ngf: 4, ndf: 4, nz: 8, batch_size: 4, code: 4 };
    const make = (seed: number) => {
      const compiled = compileGraph(began.document, overrides);
      if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
      return new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed });
    };
    const straight = make(4);
    const expected = await losses(straight, 4);
    straight.dispose();

    const first = make(4);
    await losses(first, 2);
    const state = await first.saveState();
    expect([...state.nodeState.keys()]).toEqual(['D_loss.k']);
    expect(state.nodeState.get('D_loss.k')!.data[0]).not.toBe(0);
    const bytes = writeCheckpoint({ document: began.document, overrides, state, savedAt: '' });
    first.dispose();

    const resumed = make(11);
    resumed.loadState(readCheckpoint(bytes).state);
    expect(await losses(resumed, 2)).toEqual(expected.slice(2));
    resumed.dispose();
  });
});
