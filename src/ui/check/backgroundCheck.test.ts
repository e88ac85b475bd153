import { expose } from 'comlink';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_DEVICE_LIMITS } from '../../graph/budget';
import { checkDocument } from '../../graph/check';
import type { GraphDocument } from '../../graph/document';
import { largeBodyDocument } from '../../../test/graph/largeBody';
import { checkFor } from '../derived';
import type { CheckedInBackground } from './backgroundCheck';

/** What the worker was asked to check, by batch size; each answer waits for `release`. */
const asked: number[] = [];
let release: () => void = () => undefined;

/** A worker in this thread: the check worker's api behind a MessageChannel, as comlink sees it. */
class WorkerInThisThread {
  constructor() {
    const { port1, port2 } = new MessageChannel();
    expose(
      {
        async check(doc: GraphDocument, limits: typeof DEFAULT_DEVICE_LIMITS) {
          asked.push(doc.variables.batch_size!.value as number);
          await new Promise<void>((resolve) => (release = resolve));
          const { inference, estimate, problems, valid } = checkDocument(doc, {}, limits);
          return { inference, estimate, problems, valid } satisfies CheckedInBackground;
        },
      },
      port2,
    );
    return port1;
  }
}

beforeAll(() => vi.stubGlobal('Worker', WorkerInThisThread));
afterAll(() => vi.unstubAllGlobals());

const limits = { ...DEFAULT_DEVICE_LIMITS, memoryBytes: 2 ** 50 };
const large = { ...largeBodyDocument(1200), id: 'doc-large' };
const withBatch = (batch: number): GraphDocument => {
  const doc = structuredClone(large);
  doc.variables.batch_size!.value = batch;
  return doc;
};

describe('a large document checked in the background', () => {
  it('shows nothing until its check settles, then what the check finds; edits meanwhile are not queued, only the latest is checked next', async () => {
    const first = withBatch(1);
    const pending = checkFor(first, limits);
    expect(pending).toMatchObject({ pending: true, problems: [], valid: false });
    expect(checkFor(first, limits)).toBe(pending);
    const second = withBatch(2);
    const third = withBatch(3);
    checkFor(second, limits);
    checkFor(third, limits);
    await vi.waitFor(() => expect(asked).toEqual([1]));

    release();
    await vi.waitFor(() => expect(asked).toEqual([1, 3]));
    const settled = checkFor(first, limits);
    expect(settled.pending).toBeUndefined();
    expect(settled.estimate).toEqual(checkDocument(first, {}, limits).estimate);
    // Until the latest settles, the document shows its last settled check, marked pending.
    expect(checkFor(third, limits)).toMatchObject({ pending: true, estimate: settled.estimate });

    release();
    await vi.waitFor(() => expect(checkFor(third, limits).pending).toBeUndefined());
    expect(checkFor(third, limits).estimate).toEqual(checkDocument(third, {}, limits).estimate);
    // The edit passed over is checked when shown again (an undo back to it).
    checkFor(second, limits);
    await vi.waitFor(() => expect(asked).toEqual([1, 3, 2]));
    release();
    await vi.waitFor(() => expect(checkFor(second, limits).pending).toBeUndefined());
  });

  it('checks a small document in place, at once', () => {
    const small = { ...largeBodyDocument(10), id: 'doc-small' };
    expect(checkFor(small, limits)).toEqual(checkDocument(small, {}, limits));
  });
});
