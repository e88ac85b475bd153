/**
 * A tab's hold on the kept documents: it autosaves the document it shows under that document's
 * id (synchronously, inside the edit, so that closing the page right after an edit keeps it),
 * remembers in sessionStorage which document the tab shows (a reload reopens it), opens kept
 * documents, and follows the revision rule of documentIndex.ts against other tabs.
 *
 * Other tabs are heard through the `storage` event (main.tsx calls `storedChanged`): it arrives
 * once the other tab's write is in this tab's localStorage, whereas a BroadcastChannel message
 * may overtake the write when the tabs run in separate processes, and the tab would then read
 * the version before. localStorage offers no compare-and-swap: two saves within the few
 * milliseconds a write takes to reach the other tab could both pass the check; the tab in its
 * version then still tells them apart, so neither tab takes the other's for its own.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { withDocumentId, type GraphDocument } from '../graph/document';
import {
  mayOverwrite,
  nextVersion,
  onStoredChange,
  type IndexEntry,
  type Version,
} from './documentIndex';
import {
  TAB_DOCUMENT_KEY,
  readIndex,
  readStoredDocument,
  setPinned,
  storedVersion,
  writeDocument,
} from './savedDocuments';
import type { EditorStore } from './store';

/** Another tab saved the document this tab shows while this tab had edits of its own. */
export interface Conflict {
  id: string;
  name: string;
}

/**
 * theirs: show the other tab's version (this tab's stays a step back in undo); mine: save this
 * tab's over it; copy: keep this tab's as a document of its own, beside the other.
 */
export type ConflictChoice = 'theirs' | 'mine' | 'copy';

export interface DocumentSession {
  conflict: StoreApi<{ conflict: Conflict | null }>;
  /** The kept documents, most recently edited first. */
  recent(): IndexEntry[];
  /** Opens a kept document in this tab, as opening a file does (undoable). */
  open(id: string): void;
  setPinned(id: string, pinned: boolean): void;
  resolve(choice: ConflictChoice): void;
  /** Another tab may have saved: what localStorage holds for the shown document is looked at. */
  storedChanged(): void;
  /**
   * Saves what is not saved yet; when the page is leaving, a conflict not yet decided keeps
   * this tab's version as a copy, so that nothing is lost without a choice.
   */
  flush(leaving: boolean): void;
  stop(): void;
}

function newTabId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return `tab-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** This tab's version as a document of its own: a new id, the name marked. */
function asCopy(doc: GraphDocument): GraphDocument {
  const { id: _, ...rest } = doc;
  return withDocumentId({ ...rest, name: `${doc.name} (copy)` });
}

export function startDocumentSession(
  store: EditorStore,
  options: {
    local: Storage;
    tab: Storage;
    /** The version the initial document was kept at; none: it is new, and is saved now. */
    loaded?: Version;
    now?: () => number;
  },
): DocumentSession {
  const { local, tab } = options;
  const now = options.now ?? Date.now;
  const tabId = newTabId();
  /** Per document, the version this tab last saved or loaded. */
  const seen = new Map<string, Version>();
  /** The document as this tab last saved or loaded it: another is an unsaved edit. */
  let saved: GraphDocument | undefined;
  const conflict = createStore<{ conflict: Conflict | null }>()(() => ({ conflict: null }));
  const actions = () => store.getState().actions;

  const save = (doc: GraphDocument) => {
    // The editor store gives every document an id.
    const id = doc.id;
    if (id === undefined) return;
    const stored = storedVersion(local, id);
    if (!mayOverwrite(seen.get(id), stored)) {
      conflict.setState({ conflict: { id, name: doc.name } });
      return;
    }
    const version = nextVersion(stored, tabId);
    try {
      writeDocument(local, { ...doc, id }, version, { now: now(), keep: new Set([id]) });
    } catch (e) {
      actions().notify(
        `Autosave failed (${(e as Error).message}): the graph stays open in this tab; download it with Save before closing the tab`,
        'error',
      );
      return;
    }
    seen.set(id, version);
    saved = doc;
  };

  /** Shows the kept version of a document; false when it cannot be read. */
  const takeStored = (id: string, message: string): boolean => {
    const found = readStoredDocument(local, id);
    if (!found) return false;
    if (!found.parsed.ok) {
      actions().showReport({
        title: 'The kept graph could not be read',
        problems: found.parsed.problems,
      });
      return false;
    }
    seen.set(id, found.version);
    saved = found.parsed.document;
    actions().receiveDocument(found.parsed.document, message);
    return true;
  };

  const initial = store.getState().document;
  if (initial.id !== undefined) tab.setItem(TAB_DOCUMENT_KEY, initial.id);
  if (options.loaded && initial.id !== undefined) {
    seen.set(initial.id, options.loaded);
    saved = initial;
  } else {
    save(initial);
  }

  const unsubscribe = store.subscribe((state, previous) => {
    if (state.document === previous.document) return;
    if (state.document.id !== undefined) tab.setItem(TAB_DOCUMENT_KEY, state.document.id);
    // While the user has not chosen, this tab's edits stay in memory only.
    if (state.document === saved || conflict.getState().conflict) return;
    save(state.document);
  });

  const resolve = (choice: ConflictChoice) => {
    const pending = conflict.getState().conflict;
    if (!pending) return;
    conflict.setState({ conflict: null });
    if (choice === 'theirs') {
      takeStored(pending.id, "Showing the other tab's version; undo goes back to this tab's");
    } else if (choice === 'mine') {
      const stored = storedVersion(local, pending.id);
      if (stored) seen.set(pending.id, stored);
      save(store.getState().document);
    } else {
      actions().applyToDocument(asCopy);
      actions().notify(
        "This tab's version is now a document of its own; the other tab's is in Recent",
      );
    }
  };

  return {
    conflict,
    recent: () => readIndex(local),
    open(id) {
      if (id === store.getState().document.id) return;
      const found = readStoredDocument(local, id);
      if (!found) {
        actions().notify('That graph is no longer kept in this browser', 'error');
        return;
      }
      if (!found.parsed.ok) {
        actions().showReport({
          title: 'The kept graph could not be opened; the graph on screen is unchanged',
          problems: found.parsed.problems,
        });
        return;
      }
      seen.set(id, found.version);
      saved = found.parsed.document;
      actions().replaceDocument(found.parsed.document, `Opened ${found.parsed.document.name}`);
    },
    setPinned(id, pinned) {
      setPinned(local, id, pinned);
    },
    resolve,
    storedChanged() {
      const doc = store.getState().document;
      if (doc.id === undefined) return;
      const stored = storedVersion(local, doc.id);
      const decision = onStoredChange(seen.get(doc.id), stored, doc !== saved);
      if (decision === 'apply') {
        takeStored(doc.id, 'This graph was changed in another tab: the change is shown here');
      } else if (decision === 'conflict' && !conflict.getState().conflict) {
        conflict.setState({ conflict: { id: doc.id, name: doc.name } });
      }
    },
    flush(leaving) {
      if (conflict.getState().conflict) {
        if (leaving) resolve('copy');
        return;
      }
      const doc = store.getState().document;
      if (doc !== saved) save(doc);
    },
    stop: unsubscribe,
  };
}
