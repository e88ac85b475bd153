import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MemoryStorage } from '../../test/memoryStorage';
import { parseDocument, serializeDocument, type GraphDocument } from '../graph/document';
import { setVariable } from '../graph/edits';
import { startDocumentSession } from './documentSession';
import { INDEX_KEY, documentKey, readIndex, writeDocument } from './savedDocuments';
import { createEditorStore, type EditorStore } from './store';

function template(): GraphDocument & { id: string } {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, '../../templates/cyclegan.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  return { ...parsed.document, id: 'doc-one' };
}

function kept(local: Storage, id: string): GraphDocument | undefined {
  const text = local.getItem(documentKey(id));
  if (text === null) return undefined;
  const parsed = parseDocument(text);
  return parsed.ok ? parsed.document : undefined;
}

/** A tab: its editor and session, on the browser's localStorage and a sessionStorage of its own. */
function openTab(local: Storage, doc: GraphDocument, loaded?: boolean) {
  const store = createEditorStore(doc);
  const version = loaded ? readIndex(local).find((e) => e.id === doc.id) : undefined;
  const session = startDocumentSession(store, {
    local,
    tab: new MemoryStorage(),
    ...(version ? { loaded: { revision: version.revision, by: version.by } } : {}),
  });
  return { store, session };
}

function setLambda(store: EditorStore, value: number) {
  store.getState().actions.applyToDocument((d) => setVariable(d, 'lambda_A', value));
}

const lambda = (doc: GraphDocument | undefined) => doc?.variables.lambda_A?.value;

describe('a tab and its document', () => {
  test('every edit is saved under the document id before the edit returns', () => {
    const local = new MemoryStorage();
    const { store } = openTab(local, template());
    expect(local.getItem(documentKey('doc-one'))).toBe(
      serializeDocument(store.getState().document),
    );
    setLambda(store, 7);
    expect(lambda(kept(local, 'doc-one'))).toBe(7);
  });

  test('opening another document keeps the one before in the list, and undo goes back to it', () => {
    const local = new MemoryStorage();
    const { store, session } = openTab(local, template());
    setLambda(store, 7);
    store.getState().actions.replaceDocument(template(), 'Opened');
    expect(store.getState().document.id).toBe('doc-one');
    const other = { ...setVariable(template(), 'lambda_A', 2), id: 'doc-two' };
    writeDocument(local, other, { revision: 1, by: 'tab-x' }, { now: 0, keep: new Set() });
    session.open('doc-two');
    expect(lambda(store.getState().document)).toBe(2);
    expect(
      session
        .recent()
        .map((e) => e.id)
        .sort(),
    ).toEqual(['doc-one', 'doc-two']);
    store.getState().actions.undo();
    expect(store.getState().document.id).toBe('doc-one');
  });

  test('a full storage is reported, the graph stays in memory and its last save intact', () => {
    const local = new MemoryStorage(60_000);
    const { store } = openTab(local, template());
    const before = local.getItem(documentKey('doc-one'));
    store.getState().actions.applyToDocument((d) => ({ ...d, description: 'x'.repeat(60_000) }));
    expect(store.getState().notice).toMatchObject({ tone: 'error' });
    expect(store.getState().notice?.text).toMatch(/Autosave failed/);
    expect(store.getState().document.description).toHaveLength(60_000);
    expect(local.getItem(documentKey('doc-one'))).toBe(before);
  });

  test('a full storage gives up the oldest unpinned document, never the open one', () => {
    const size = serializeDocument(template()).length;
    // Room for two documents, not for both once the open one grows.
    const local = new MemoryStorage(2 * size + 10_000);
    const old = { ...template(), id: 'doc-old' };
    writeDocument(local, old, { revision: 1, by: 'tab-x' }, { now: 0, keep: new Set() });
    const { store } = openTab(local, template());
    store.getState().actions.applyToDocument((d) => ({ ...d, description: 'x'.repeat(15_000) }));
    expect(store.getState().notice).toBeNull();
    expect(kept(local, 'doc-one')?.description).toHaveLength(15_000);
    expect(local.getItem(documentKey('doc-old'))).toBeNull();
    expect(readIndex(local).map((e) => e.id)).toEqual(['doc-one']);
  });
});

describe('two tabs on one document', () => {
  test("an edit saved in one tab is shown in the other, and the other's next edit keeps it", () => {
    const local = new MemoryStorage();
    const a = openTab(local, template());
    const b = openTab(local, template(), true);
    setLambda(a.store, 7);
    b.session.storedChanged();
    expect(lambda(b.store.getState().document)).toBe(7);
    b.store.getState().actions.applyToDocument((d) => setVariable(d, 'lambda_B', 5));
    a.session.storedChanged();
    const doc = kept(local, 'doc-one');
    expect([lambda(doc), doc?.variables.lambda_B?.value]).toEqual([7, 5]);
    expect(a.store.getState().document.variables.lambda_B?.value).toBe(5);
  });

  test("a tab whose save would overwrite another tab's newer edit asks instead", () => {
    const local = new MemoryStorage();
    const a = openTab(local, template());
    const b = openTab(local, template(), true);
    setLambda(a.store, 7);
    // B edits before it has heard of A's save.
    setLambda(b.store, 9);
    expect(lambda(kept(local, 'doc-one'))).toBe(7);
    expect(b.session.conflict.getState().conflict).toMatchObject({ id: 'doc-one' });
    // Its further edits wait for the choice.
    b.store.getState().actions.applyToDocument((d) => setVariable(d, 'lambda_B', 5));
    expect(lambda(kept(local, 'doc-one'))).toBe(7);
    b.session.resolve('copy');
    const copy = b.store.getState().document;
    expect(copy.id).not.toBe('doc-one');
    expect(lambda(kept(local, copy.id!))).toBe(9);
    expect(lambda(kept(local, 'doc-one'))).toBe(7);
  });

  test("choosing the other tab's version shows it; choosing one's own saves it over", () => {
    const local = new MemoryStorage();
    const a = openTab(local, template());
    const b = openTab(local, template(), true);
    setLambda(a.store, 7);
    setLambda(b.store, 9);
    b.session.resolve('theirs');
    expect(lambda(b.store.getState().document)).toBe(7);
    b.store.getState().actions.undo();
    expect(lambda(b.store.getState().document)).toBe(9);
    // Undoing to its own version is an edit over the one it now has seen: saved.
    expect(lambda(kept(local, 'doc-one'))).toBe(9);

    setLambda(a.store, 11);
    expect(a.session.conflict.getState().conflict).not.toBeNull();
    a.session.resolve('mine');
    expect(lambda(kept(local, 'doc-one'))).toBe(11);
  });

  test('a tab closed before choosing keeps its version as a copy', () => {
    const local = new MemoryStorage();
    const a = openTab(local, template());
    const b = openTab(local, template(), true);
    setLambda(a.store, 7);
    setLambda(b.store, 9);
    b.session.flush(false);
    expect(b.session.conflict.getState().conflict).not.toBeNull();
    b.session.flush(true);
    const values = readIndex(local).map((e) => lambda(kept(local, e.id)));
    expect(values.sort()).toEqual([7, 9]);
    expect(JSON.parse(local.getItem(INDEX_KEY)!)).toHaveLength(2);
  });
});
