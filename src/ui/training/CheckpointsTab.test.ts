import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { parseDocument, type GraphDocument } from '../../graph/document';
import { writeCheckpoint } from '../../runtime/checkpoint';
import type { SavedCheckpointInfo } from '../../runtime/worker/protocol';
import type { EditorActions } from '../store';
import { openKeptCheckpoint } from './CheckpointsTab';

const parsed = parseDocument(
  readFileSync(new URL('../../../templates/gan.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('the GAN template does not parse');
const trained: GraphDocument = { ...parsed.document, id: 'doc-other' };

const t = (...shape: number[]) => ({
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});

const bytes = writeCheckpoint({
  document: trained,
  overrides: { size: 8 },
  savedAt: new Date(0).toISOString(),
  state: {
    step: 3,
    random: 1,
    weights: new Map([['G.dense.kernel', t(4, 2)]]),
    optimizers: [],
    pools: new Map(),
    nodeState: new Map(),
  },
});

const info: SavedCheckpointInfo = {
  documentId: 'doc-other',
  revision: 'r1',
  step: 3,
  savedAt: new Date(0).toISOString(),
  bytes: bytes.length,
  graphName: trained.name,
  backend: 'cpu',
};

function fakes() {
  const editor = { replaceDocument: vi.fn(), notify: vi.fn() };
  const training = { openCheckpoint: vi.fn(async (_file: File) => undefined) };
  return { editor, training, actions: editor as unknown as EditorActions };
}

describe("another document's kept checkpoint, opened", () => {
  it('opens the graph it trained as a document of its own, with the values it trained with, and continues it from the checkpoint', async () => {
    const { editor, training, actions } = fakes();
    await openKeptCheckpoint(info, actions, training, async () => ({ bytes }));

    expect(editor.notify).not.toHaveBeenCalled();
    const [opened, message] = editor.replaceDocument.mock.calls[0] as [GraphDocument, string];
    expect(opened.id).toMatch(/^doc-/);
    expect(opened.id).not.toBe('doc-other');
    expect(opened.name).toBe(`${trained.name} (step 3)`);
    expect(message).toBe(`Opened ${trained.name} (step 3), the graph of a kept checkpoint`);
    expect(opened.variables.size!.value).toBe(8);
    expect({ ...opened, id: trained.id, name: trained.name, variables: trained.variables }).toEqual(
      trained,
    );
    const [file] = training.openCheckpoint.mock.calls[0]!;
    expect(file.name).toBe(`${trained.name}-step3.safetensors`);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
  });

  it('says so when the checkpoint is gone, and leaves the graph on the canvas', async () => {
    const { editor, training, actions } = fakes();
    await openKeptCheckpoint(info, actions, training, async () => undefined);
    expect(editor.notify).toHaveBeenCalledWith(
      'That checkpoint is no longer kept in this browser',
      'error',
    );
    expect(editor.replaceDocument).not.toHaveBeenCalled();
    expect(training.openCheckpoint).not.toHaveBeenCalled();
  });

  it('says why when the checkpoint is damaged, and leaves the graph on the canvas', async () => {
    const { editor, training, actions } = fakes();
    await openKeptCheckpoint(info, actions, training, async () => ({ bytes: bytes.slice(0, 40) }));
    expect(editor.notify.mock.calls[0]![0]).toMatch(/^That checkpoint could not be read: /);
    expect(editor.replaceDocument).not.toHaveBeenCalled();
    expect(training.openCheckpoint).not.toHaveBeenCalled();
  });
});
