import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument, serializeDocument, type GraphDocument } from '../graph/document';
import { setVariable } from '../graph/edits';
import {
  AUTOSAVE_KEY,
  decodeShareFragment,
  encodeShareFragment,
  fileNameFor,
  loadInitialDocument,
  startAutosave,
} from './persistence';
import { createEditorStore } from './store';

function template(): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, '../../templates/cyclegan.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  return parsed.document;
}

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('share links', () => {
  test('a link carries the document, compressed, and gives it back', async () => {
    const doc = template();
    const fragment = await encodeShareFragment(doc);
    expect(fragment).toMatch(/^graph=[A-Za-z0-9_-]+$/);
    expect(fragment.length).toBeLessThan(JSON.stringify(doc).length / 3);
    const back = await decodeShareFragment(`#${fragment}`);
    expect(back).toEqual({ ok: true, document: doc });
  });

  test('a damaged link gives problems; a fragment without a graph gives nothing', async () => {
    const fragment = await encodeShareFragment(template());
    const damaged = await decodeShareFragment(`#${fragment.slice(0, -12)}`);
    expect(damaged?.ok).toBe(false);
    if (damaged && !damaged.ok) expect(damaged.problems[0]!.path).toBe('$');
    expect(await decodeShareFragment('#about')).toBeUndefined();
  });
});

describe('where the editor starts', () => {
  test('a link wins over the autosave, the autosave over the template', async () => {
    const doc = template();
    const saved = setVariable(doc, 'size', 128);
    const linked = setVariable(doc, 'size', 64);
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, serializeDocument(saved));
    const hash = `#${await encodeShareFragment(linked)}`;
    expect(await loadInitialDocument({ hash, storage, template: doc })).toEqual({
      document: linked,
      source: 'link',
    });
    expect(await loadInitialDocument({ hash: '', storage, template: doc })).toEqual({
      document: saved,
      source: 'autosave',
    });
    expect(
      await loadInitialDocument({ hash: '', storage: new MemoryStorage(), template: doc }),
    ).toEqual({
      document: doc,
      source: 'template',
    });
  });

  test('a broken autosave falls back to the template and says what was wrong', async () => {
    const storage = new MemoryStorage();
    storage.setItem(AUTOSAVE_KEY, '{"format": "ganvas-graph", "version": 1');
    const start = await loadInitialDocument({ hash: '', storage, template: template() });
    expect(start.source).toBe('template');
    expect(start.report?.problems[0]).toMatchObject({ path: '$' });
  });

  test('every edit is saved before the edit returns', () => {
    const storage = new MemoryStorage();
    const store = createEditorStore(template());
    startAutosave(store, storage);
    expect(storage.getItem(AUTOSAVE_KEY)).toBe(serializeDocument(store.getState().document));
    store.getState().actions.applyToDocument((d) => setVariable(d, 'lambda_A', 7));
    expect(JSON.parse(storage.getItem(AUTOSAVE_KEY)!).variables.lambda_A.value).toBe(7);
  });

  test('files are named after the graph', () => {
    expect(fileNameFor({ ...template(), name: 'My GAN: v2' })).toBe('My-GAN-v2.ganvas.json');
    expect(fileNameFor({ ...template(), name: '  ' })).toBe('graph.ganvas.json');
  });
});
