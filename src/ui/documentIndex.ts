/**
 * The documents this browser keeps, as an index (id, name, when edited, size, version) and the
 * revision rule that keeps two tabs on one document from overwriting each other. Pure: the
 * storage and the tabs are at the edges (savedDocuments.ts, documentSession.ts).
 *
 * The revision rule. Every save of a document stamps it with a version: a revision counter one
 * above the stored one, and the tab that wrote it. A tab remembers, per document, the version it
 * last saved or loaded (the one it has "seen").
 * - A tab saves only over the version it has seen, or where nothing is stored; a stored version
 *   it has not seen was written by another tab, and the save waits for the user's choice.
 * - When another tab's save arrives, a tab whose document has no unsaved edits takes it; one
 *   with unsaved edits asks the user.
 * The tab is part of the version so that two saves that reach the same revision still differ.
 */
import { z } from 'zod';

export interface Version {
  revision: number;
  /** The tab (one page load) that wrote it. */
  by: string;
}

export interface IndexEntry extends Version {
  id: string;
  name: string;
  /** When last saved, in ms since the epoch. */
  edited: number;
  /** The saved text's length, in characters (what localStorage counts). */
  size: number;
  /** Kept whatever the bounds. */
  pinned?: boolean;
}

/** How much the index keeps before the oldest unpinned documents go. */
export interface IndexLimits {
  count: number;
  chars: number;
}

/**
 * localStorage holds about 5 M characters per origin in Chromium and Firefox; the documents
 * leave room for the training settings and the rest.
 */
export const INDEX_LIMITS: IndexLimits = { count: 40, chars: 3_000_000 };

const IndexEntrySchema = z.object({
  id: z.string().min(1).max(100),
  name: z.string().max(1000),
  edited: z.number().finite(),
  size: z.number().int().nonnegative(),
  revision: z.number().int().nonnegative(),
  by: z.string().max(100),
  pinned: z.boolean().optional(),
});

/** The index as stored; damaged entries (or a damaged index) are left out. */
export function parseIndex(text: string | null): IndexEntry[] {
  if (text === null) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const entries = raw.flatMap((item) => {
    const parsed = IndexEntrySchema.safeParse(item);
    return parsed.success ? [parsed.data as IndexEntry] : [];
  });
  return byLastEdited(entries);
}

function byLastEdited(entries: IndexEntry[]): IndexEntry[] {
  return entries.sort((a, b) => b.edited - a.edited);
}

/** The index with an entry added or replaced, most recently edited first. */
export function withEntry(index: readonly IndexEntry[], entry: IndexEntry): IndexEntry[] {
  const previous = index.find((e) => e.id === entry.id);
  const kept = previous?.pinned ? { ...entry, pinned: true } : entry;
  return byLastEdited([kept, ...index.filter((e) => e.id !== entry.id)]);
}

export function withPinned(
  index: readonly IndexEntry[],
  id: string,
  pinned: boolean,
): IndexEntry[] {
  return index.map((e) => {
    if (e.id !== id) return e;
    const { pinned: _, ...rest } = e;
    return pinned ? { ...rest, pinned: true } : rest;
  });
}

export function withoutEntries(
  index: readonly IndexEntry[],
  ids: ReadonlySet<string>,
): IndexEntry[] {
  return index.filter((e) => !ids.has(e.id));
}

/**
 * The documents to drop so that the index fits its limits: the oldest unpinned first, never
 * one in `keep` (the one open in this tab).
 */
export function evictions(
  index: readonly IndexEntry[],
  keep: ReadonlySet<string>,
  limits: IndexLimits,
): string[] {
  let count = index.length;
  let chars = index.reduce((sum, e) => sum + e.size, 0);
  const dropped: string[] = [];
  for (const entry of [...index].sort((a, b) => a.edited - b.edited)) {
    if (count <= limits.count && chars <= limits.chars) break;
    if (entry.pinned || keep.has(entry.id)) continue;
    dropped.push(entry.id);
    count -= 1;
    chars -= entry.size;
  }
  return dropped;
}

/** The oldest unpinned document other than those in `keep`: what a full storage gives up. */
export function oldestEvictable(
  index: readonly IndexEntry[],
  keep: ReadonlySet<string>,
): string | undefined {
  return [...index].reverse().find((e) => !e.pinned && !keep.has(e.id))?.id;
}

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  return a !== undefined && b !== undefined && a.revision === b.revision && a.by === b.by;
}

/** Whether a tab that has seen `seen` may save over what is stored (see the rule above). */
export function mayOverwrite(seen: Version | undefined, stored: Version | undefined): boolean {
  return stored === undefined || sameVersion(seen, stored);
}

/** The version a tab's save writes over `stored`. */
export function nextVersion(stored: Version | undefined, by: string): Version {
  return { revision: (stored?.revision ?? 0) + 1, by };
}

/**
 * What a tab does when the stored document it shows may have changed: nothing (it is the
 * version the tab has seen, or it is gone), take it, or ask the user.
 */
export function onStoredChange(
  seen: Version | undefined,
  stored: Version | undefined,
  unsavedEdits: boolean,
): 'ignore' | 'apply' | 'conflict' {
  if (stored === undefined || sameVersion(seen, stored)) return 'ignore';
  return unsavedEdits ? 'conflict' : 'apply';
}
