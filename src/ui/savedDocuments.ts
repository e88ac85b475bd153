/**
 * The documents this browser keeps, in localStorage: each under its id, with an index (see
 * documentIndex.ts). localStorage rather than IndexedDB because a save must be synchronous: the
 * autosave runs inside the edit, and a page that is closing gets no time for an asynchronous
 * write. The bounds of the index keep the documents well inside localStorage's quota; a save
 * that meets the quota anyway first gives up the oldest unpinned documents, then fails with the
 * error, which the caller shows.
 */
import {
  parseDocument,
  serializeDocument,
  withDocumentId,
  type GraphDocument,
  type ParseResult,
} from '../graph/document';
import {
  INDEX_LIMITS,
  evictions,
  oldestEvictable,
  parseIndex,
  withEntry,
  withPinned,
  withoutEntries,
  type IndexEntry,
  type IndexLimits,
  type Version,
} from './documentIndex';

export const INDEX_KEY = 'ganvas.documents';
/** Where a tab's document id is kept (sessionStorage: one per tab, kept across reloads). */
export const TAB_DOCUMENT_KEY = 'ganvas.tab-document';
/** The single autosave slot of earlier versions, migrated once into the documents. */
export const SINGLE_SLOT_KEY = 'ganvas.autosave';

export function documentKey(id: string): string {
  return `ganvas.document.${id}`;
}

export function readIndex(storage: Storage): IndexEntry[] {
  return parseIndex(storage.getItem(INDEX_KEY));
}

export function storedVersion(storage: Storage, id: string): Version | undefined {
  const entry = readIndex(storage).find((e) => e.id === id);
  return entry && { revision: entry.revision, by: entry.by };
}

/** A kept document as parsed, with its version; undefined when none is kept under the id. */
export function readStoredDocument(
  storage: Storage,
  id: string,
): { parsed: ParseResult; version: Version } | undefined {
  const version = storedVersion(storage, id);
  const text = storage.getItem(documentKey(id));
  if (!version || text === null) return undefined;
  return { parsed: parseDocument(text), version };
}

function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}

function forget(storage: Storage, ids: readonly string[]): void {
  for (const id of ids) storage.removeItem(documentKey(id));
}

/**
 * Writes a document under its id with the given version. Past the index's bounds, or when the
 * storage is full, the oldest unpinned documents other than `keep` go; a storage still full
 * throws its error, with nothing of the document's previous save lost.
 */
export function writeDocument(
  storage: Storage,
  doc: GraphDocument & { id: string },
  version: Version,
  options: { now: number; keep: ReadonlySet<string>; limits?: IndexLimits },
): void {
  const text = serializeDocument(doc);
  let index = readIndex(storage);
  const keep = new Set([...options.keep, doc.id]);
  for (;;) {
    try {
      storage.setItem(documentKey(doc.id), text);
      break;
    } catch (e) {
      const oldest = isQuotaError(e) ? oldestEvictable(index, keep) : undefined;
      if (oldest === undefined) throw e;
      forget(storage, [oldest]);
      index = withoutEntries(index, new Set([oldest]));
      storage.setItem(INDEX_KEY, JSON.stringify(index));
    }
  }
  index = withEntry(index, {
    id: doc.id,
    name: doc.name,
    edited: options.now,
    size: text.length,
    ...version,
  });
  const dropped = evictions(index, keep, options.limits ?? INDEX_LIMITS);
  forget(storage, dropped);
  storage.setItem(INDEX_KEY, JSON.stringify(withoutEntries(index, new Set(dropped))));
}

export function setPinned(storage: Storage, id: string, pinned: boolean): void {
  storage.setItem(INDEX_KEY, JSON.stringify(withPinned(readIndex(storage), id, pinned)));
}

/**
 * Moves the single autosave slot of earlier versions into the documents, once: the slot is
 * removed after. A slot that does not parse is kept aside under its key plus ".unreadable".
 */
export function migrateSingleSlot(
  storage: Storage,
  now: number,
): { migrated?: string; problems?: ParseResult & { ok: false } } {
  const text = storage.getItem(SINGLE_SLOT_KEY);
  if (text === null) return {};
  const parsed = parseDocument(text);
  if (!parsed.ok) {
    storage.setItem(`${SINGLE_SLOT_KEY}.unreadable`, text);
    storage.removeItem(SINGLE_SLOT_KEY);
    return { problems: parsed };
  }
  const doc = asOpenedDocument(storage, parsed.document);
  writeDocument(storage, doc, { revision: 1, by: 'migration' }, { now, keep: new Set() });
  storage.removeItem(SINGLE_SLOT_KEY);
  return { migrated: doc.id };
}

/**
 * A document opened from outside (a template, a link, a file): it keeps its own id, unless a
 * document with that id is already kept here, which it would overwrite; then it is a new one.
 */
export function asOpenedDocument(
  storage: Storage,
  doc: GraphDocument,
): GraphDocument & { id: string } {
  if (doc.id === undefined || storedVersion(storage, doc.id) === undefined) {
    return withDocumentId(doc);
  }
  const { id: _, ...rest } = doc;
  return withDocumentId(rest);
}
