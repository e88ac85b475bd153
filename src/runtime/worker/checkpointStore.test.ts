import { describe, expect, it } from 'vitest';
import {
  forgetCheckpoint,
  keepCheckpoint,
  KEPT_DOCUMENTS,
  keptCheckpoint,
  keptCheckpointInfo,
  keptCheckpointInfos,
  memoryStore,
} from './checkpointStore';
import type { SavedCheckpointInfo } from './protocol';

function info(documentId: string, step: number, second: number): SavedCheckpointInfo {
  return {
    documentId,
    revision: `rev-${documentId}`,
    step,
    savedAt: `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`,
    bytes: 3,
    graphName: documentId,
    backend: 'cpu',
  };
}

const kept = (step: number) => ({
  bytes: new Uint8Array([step]),
  history: { segments: [{ revision: 'r', start: 0, lossTerms: [], records: [] }] },
});

describe('checkpoints kept per document', () => {
  it('each document keeps its latest checkpoint, apart from the others', async () => {
    const store = memoryStore();
    await keepCheckpoint(info('a', 2, 1), kept(2), store);
    await keepCheckpoint(info('b', 5, 2), kept(5), store);
    await keepCheckpoint(info('a', 4, 3), kept(4), store);
    expect((await keptCheckpointInfo('a', store))?.step).toBe(4);
    expect((await keptCheckpoint('a', store))?.bytes).toEqual(new Uint8Array([4]));
    expect((await keptCheckpoint('b', store))?.bytes).toEqual(new Uint8Array([5]));
    expect((await keptCheckpointInfos(store)).map((i) => i.documentId)).toEqual(['a', 'b']);
  });

  it(`only the ${KEPT_DOCUMENTS} documents saved last are kept`, async () => {
    const store = memoryStore();
    for (let d = 0; d <= KEPT_DOCUMENTS; d++)
      await keepCheckpoint(info(`d${d}`, 1, d), kept(1), store);
    const infos = await keptCheckpointInfos(store);
    expect(infos).toHaveLength(KEPT_DOCUMENTS);
    expect(infos.at(-1)?.documentId).toBe('d1');
    expect(await keptCheckpoint('d0', store)).toBeUndefined();
    expect(await store.keys()).toHaveLength(2 * KEPT_DOCUMENTS);
  });

  it('a forgotten document has no checkpoint; the single slot of before is dropped', async () => {
    const store = memoryStore();
    await store.write(
      [
        ['latest-info', { step: 9 }],
        ['latest-data', { bytes: new Uint8Array(1) }],
      ],
      [],
    );
    await keepCheckpoint(info('a', 2, 1), kept(2), store);
    expect((await store.keys()).sort()).toEqual(['data:a', 'info:a']);
    await forgetCheckpoint('a', store);
    expect(await keptCheckpointInfo('a', store)).toBeUndefined();
    expect(await keptCheckpointInfos(store)).toEqual([]);
  });
});
