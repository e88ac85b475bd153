import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument, serializeDocument, type GraphDocument } from '../graph/document';
import { setVariable } from '../graph/edits';
import { MemoryStorage } from '../../test/memoryStorage';
import {
  decodeShareFragment,
  encodeShareFragment,
  fileNameFor,
  loadInitialDocument,
} from './persistence';
import { SINGLE_SLOT_KEY, TAB_DOCUMENT_KEY, readIndex, writeDocument } from './savedDocuments';

function template(): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, '../../templates/cyclegan.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  return parsed.document;
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

/** A kept document, as a tab's autosave leaves it. */
function keep(storage: Storage, doc: GraphDocument & { id: string }, edited: number) {
  writeDocument(storage, doc, { revision: 1, by: 'tab-a' }, { now: edited, keep: new Set() });
}

describe('where the editor starts', () => {
  test('a link wins over the kept documents, the most recently edited of them over the template', async () => {
    const doc = template();
    const older = { ...setVariable(doc, 'size', 32), id: 'doc-older' };
    const saved = { ...setVariable(doc, 'size', 128), id: 'doc-saved' };
    const linked = setVariable(doc, 'size', 64);
    const local = new MemoryStorage();
    keep(local, older, 1);
    keep(local, saved, 2);
    const hash = `#${await encodeShareFragment(linked)}`;
    const fromLink = await loadInitialDocument({
      hash,
      local,
      tab: new MemoryStorage(),
      template: doc,
    });
    expect(fromLink).toMatchObject({ source: 'link', document: linked });
    expect(fromLink.document.id).toMatch(/^doc-/);
    expect(
      await loadInitialDocument({ hash: '', local, tab: new MemoryStorage(), template: doc }),
    ).toEqual({
      document: saved,
      source: 'autosave',
      version: { revision: 1, by: 'tab-a' },
    });
    const fresh = await loadInitialDocument({
      hash: '',
      local: new MemoryStorage(),
      tab: new MemoryStorage(),
      template: doc,
    });
    expect(fresh.source).toBe('template');
    expect({ ...fresh.document, id: undefined }).toEqual({ ...doc, id: undefined });
  });

  test('a reloaded tab reopens its own document, not the most recently edited one', async () => {
    const doc = template();
    const mine = { ...setVariable(doc, 'size', 32), id: 'doc-mine' };
    const newer = { ...setVariable(doc, 'size', 128), id: 'doc-newer' };
    const local = new MemoryStorage();
    keep(local, mine, 1);
    keep(local, newer, 2);
    const tab = new MemoryStorage();
    tab.setItem(TAB_DOCUMENT_KEY, 'doc-mine');
    const start = await loadInitialDocument({ hash: '', local, tab, template: doc });
    expect(start.document).toEqual(mine);
  });

  test('a link carrying the id of a kept document opens as a new document beside it', async () => {
    const kept = { ...template(), id: 'doc-kept' };
    const local = new MemoryStorage();
    keep(local, kept, 1);
    const hash = `#${await encodeShareFragment(setVariable(kept, 'size', 64))}`;
    const start = await loadInitialDocument({
      hash,
      local,
      tab: new MemoryStorage(),
      template: kept,
    });
    expect(start.document.id).not.toBe('doc-kept');
    expect(start.version).toBeUndefined();
  });

  test('the single autosave slot of earlier versions is moved into the kept documents once', async () => {
    const local = new MemoryStorage();
    const old = setVariable(template(), 'lambda_A', 3);
    local.setItem(SINGLE_SLOT_KEY, serializeDocument(old));
    const start = await loadInitialDocument({
      hash: '',
      local,
      tab: new MemoryStorage(),
      template: template(),
    });
    expect(start.source).toBe('autosave');
    expect(start.document.variables.lambda_A!.value).toBe(3);
    expect(local.getItem(SINGLE_SLOT_KEY)).toBeNull();
    expect(readIndex(local).map((e) => e.id)).toEqual([start.document.id]);
  });

  test('a broken autosave slot falls back to the template, says what was wrong and is kept aside', async () => {
    const local = new MemoryStorage();
    const broken = '{"format": "ganvas-graph", "version": 1';
    local.setItem(SINGLE_SLOT_KEY, broken);
    const start = await loadInitialDocument({
      hash: '',
      local,
      tab: new MemoryStorage(),
      template: template(),
    });
    expect(start.source).toBe('template');
    expect(start.report?.problems[0]).toMatchObject({ path: '$' });
    expect(local.getItem(`${SINGLE_SLOT_KEY}.unreadable`)).toBe(broken);
  });

  test('files are named after the graph', () => {
    expect(fileNameFor({ ...template(), name: 'My GAN: v2' })).toBe('My-GAN-v2.ganvas.json');
    expect(fileNameFor({ ...template(), name: '  ' })).toBe('graph.ganvas.json');
  });
});
