import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, withDocumentId } from '../../graph/document';
import { selectBackend } from '../backends/select';
import { BrowserTrainingWorker } from './browserTrainingWorker';
import { keptCheckpointInfos, memoryStore, type KeyValueStore } from './checkpointStore';
import { BrowserTrainingEvent } from './protocol';
import { TrainingSession } from './trainingSession';

const parsed = parseDocument(
  readFileSync(new URL('../../../templates/cyclegan.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('template does not parse');
const documentA = withDocumentId(parsed.document);
const documentB = withDocumentId(parsed.document);
const overrides = { size: 16, ngf: 4, ndf: 4, n_blocks: 1, n_layers_D: 2, pool_size: 2 };

async function worker(checkpoints = memoryStore()) {
  const w = new BrowserTrainingWorker(new TrainingSession(tf), checkpoints, memoryStore());
  const events: BrowserTrainingEvent[] = [];
  await w.subscribe((e) => events.push(e));
  return { w, events, checkpoints };
}

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

describe('the worker as the browser offers it', () => {
  it("keeps each document's latest checkpoint with its history; the page gets the info, as the protocol describes it", async () => {
    const { w, events, checkpoints } = await worker();
    await w.load({ document: documentA, overrides, seed: 5 });
    await w.run({ until: 2, checkpointEvery: 1 });
    const saved = await w.settled(documentA.id);
    expect(saved).toMatchObject({ documentId: documentA.id, step: 2, graphName: documentA.name });
    expect(events.filter((e) => !BrowserTrainingEvent.safeParse(e).success)).toEqual([]);
    // The pause at the target keeps no second copy of step 2.
    expect(events.filter((e) => e.type === 'checkpoint-saved').map((e) => e.info.step)).toEqual([
      1, 2,
    ]);

    await w.load({ document: documentB, overrides, seed: 5 });
    await w.run({ until: 1 });
    await w.settled(documentB.id);
    const infos = await keptCheckpointInfos(checkpoints);
    expect(infos.map((i) => [i.documentId, i.step])).toEqual([
      [documentB.id, 1],
      [documentA.id, 2],
    ]);
    expect(infos[1]!.revision).toBe(infos[0]!.revision);

    // Back to document A after a reload: its run resumes where it was kept, with its history.
    const resumed = await w.resumeSaved({ document: documentA, overrides });
    expect(resumed).toMatchObject({
      ok: true,
      documentId: documentA.id,
      step: 2,
      history: { segments: [{ start: 0, records: [{ step: 1 }, { step: 2 }] }] },
    });
    const none = await w.resumeSaved({ document: { ...documentA, id: 'doc-never' }, overrides });
    expect(none).toMatchObject({ ok: false, problems: [{ code: 'checkpoint-refused' }] });
  });

  it('keeps the step reached when asked (a page being left): after the step under way, once', async () => {
    const { w, events } = await worker();
    const saved = () => events.flatMap((e) => (e.type === 'checkpoint-saved' ? [e.info.step] : []));
    await w.load({ document: documentA, overrides, seed: 5 });
    const run = w.run({ checkpointEvery: 1000 });
    while (!events.some((e) => e.type === 'step' && e.step === 2)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await w.checkpointNow();
    const asked = events.filter((e) => e.type === 'step').length;
    await w.settled(documentA.id);
    while (saved().length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await w.pause();
    await run;
    const kept = saved()[0]!;
    expect(kept).toBeGreaterThanOrEqual(asked);
    expect(kept).toBeLessThanOrEqual(asked + 1);

    // Paused after its checkpoint, there is nothing more to keep.
    const afterPause = saved();
    await w.checkpointNow();
    await w.settled(documentA.id);
    expect(saved()).toEqual(afterPause);
    // Paused where nothing went out from this trainer (resumed), it keeps at once.
    const resumed = await w.resumeSaved({ document: documentA, overrides });
    if (!resumed.ok) throw new Error('the kept checkpoint did not resume');
    await w.checkpointNow();
    await w.settled(documentA.id);
    expect(saved()).toEqual([...afterPause, resumed.step]);
  });

  it('says so when the browser cannot keep a checkpoint (storage full), and trains on', async () => {
    const full: KeyValueStore = {
      ...memoryStore(),
      write: () =>
        Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')),
    };
    const { w, events } = await worker(full);
    await w.load({ document: documentA, overrides, seed: 5 });
    await w.run({ until: 3, checkpointEvery: 1 });
    await w.settled(documentA.id);
    expect(events.filter((e) => !BrowserTrainingEvent.safeParse(e).success)).toEqual([]);
    const failed = events.flatMap((e) => (e.type === 'checkpoint-failed' ? [e] : []));
    expect(failed.map((e) => e.step)).toEqual([1, 2, 3]);
    expect(failed[0]!.message).toBe(
      "The checkpoint of step 1 could not be kept in this browser (the browser's storage is full: QuotaExceededError: The quota has been exceeded.). Training goes on; Download checkpoint keeps the run as a file.",
    );
    expect(events.filter((e) => e.type === 'step').map((e) => e.step)).toEqual([1, 2, 3]);
  });
});
