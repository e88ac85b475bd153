import { describe, expect, test } from 'vitest';
import {
  evictions,
  mayOverwrite,
  nextVersion,
  onStoredChange,
  parseIndex,
  withEntry,
  withPinned,
  type IndexEntry,
} from './documentIndex';

function entry(id: string, edited: number, size = 10): IndexEntry {
  return { id, name: id, edited, size, revision: 1, by: 'tab-a' };
}

describe('the document index', () => {
  test('keeps the most recently edited first, and a re-saved document moves to the front', () => {
    let index = withEntry([], entry('a', 1));
    index = withEntry(index, entry('b', 2));
    index = withEntry(index, entry('a', 3));
    expect(index.map((e) => e.id)).toEqual(['a', 'b']);
  });

  test('past its count, the oldest unpinned go, never the open one', () => {
    const index = [entry('d', 4), entry('c', 3), entry('b', 2), entry('a', 1)];
    const limits = { count: 2, chars: Infinity };
    expect(evictions(index, new Set(), limits)).toEqual(['a', 'b']);
    expect(evictions(index, new Set(['a']), limits)).toEqual(['b', 'c']);
    const pinned = withPinned(index, 'b', true);
    expect(evictions(pinned, new Set(['a']), limits)).toEqual(['c', 'd']);
  });

  test('past its size, the oldest unpinned go until the rest fits', () => {
    const index = [entry('c', 3, 50), entry('b', 2, 50), entry('a', 1, 50)];
    expect(evictions(index, new Set(), { count: 10, chars: 100 })).toEqual(['a']);
    expect(evictions(index, new Set(), { count: 10, chars: 150 })).toEqual([]);
  });

  test('a pin survives the next save of the document', () => {
    const index = withPinned([entry('a', 1)], 'a', true);
    expect(withEntry(index, entry('a', 2))[0]!.pinned).toBe(true);
    expect(withPinned(index, 'a', false)[0]).not.toHaveProperty('pinned');
  });

  test('a damaged index, or damaged entries of it, are left out rather than failing', () => {
    expect(parseIndex(null)).toEqual([]);
    expect(parseIndex('{not json')).toEqual([]);
    expect(parseIndex('{"a": 1}')).toEqual([]);
    expect(parseIndex(JSON.stringify([entry('a', 1), { id: 'b' }]))).toEqual([entry('a', 1)]);
  });
});

describe('the revision rule', () => {
  const seen = { revision: 3, by: 'tab-a' };

  test('a tab saves over the version it has seen, or where nothing is kept', () => {
    expect(mayOverwrite(seen, { ...seen })).toBe(true);
    expect(mayOverwrite(undefined, undefined)).toBe(true);
    expect(mayOverwrite(seen, undefined)).toBe(true);
    expect(nextVersion(seen, 'tab-b')).toEqual({ revision: 4, by: 'tab-b' });
  });

  test('a tab never saves over a version it has not seen, even one at the same revision', () => {
    expect(mayOverwrite(seen, { revision: 4, by: 'tab-b' })).toBe(false);
    expect(mayOverwrite(seen, { revision: 3, by: 'tab-b' })).toBe(false);
    expect(mayOverwrite(undefined, seen)).toBe(false);
  });

  test("another tab's save is taken without unsaved edits, asked about with them, ignored when seen", () => {
    const theirs = { revision: 4, by: 'tab-b' };
    expect(onStoredChange(seen, theirs, false)).toBe('apply');
    expect(onStoredChange(seen, theirs, true)).toBe('conflict');
    expect(onStoredChange(seen, { ...seen }, true)).toBe('ignore');
    expect(onStoredChange(seen, undefined, false)).toBe('ignore');
  });
});
