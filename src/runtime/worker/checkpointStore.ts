/**
 * What the browser keeps in IndexedDB for after a reload: the latest checkpoint of each document
 * (with its run's history, for the charts) and the files of datasets people brought. The worker
 * writes, so that checkpoint bytes never cross the page's thread; the page reads only the small
 * info records, to offer to resume a document's run.
 *
 * Checkpoints are bounded: those of the KEPT_DOCUMENTS documents saved most recently stay, and
 * keeping one more drops the oldest. A document's info and bytes are written and dropped in one
 * transaction, so the page never sees one without the other.
 */
import { createStore, get, getMany, keys, promisifyRequest, type UseStore } from 'idb-keyval';
import type { DatasetFile, RunHistory, SavedCheckpointInfo } from './protocol';

export const KEPT_DOCUMENTS = 8;

/** The little of IndexedDB used here, so that tests can keep checkpoints in a Map. */
export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: string[]): Promise<(T | undefined)[]>;
  keys(): Promise<string[]>;
  /** Puts and deletes in one transaction. */
  write(put: [string, unknown][], remove: string[]): Promise<void>;
}

function indexedDbStore(database: string, name: string): KeyValueStore {
  let use: UseStore | undefined;
  // One store per database: idb-keyval opens each database with the single store it names.
  const store = () => (use ??= createStore(database, name));
  return {
    get: (key) => get(key, store()),
    getMany: (list) => getMany(list, store()),
    keys: () => keys<string>(store()),
    write: (put, remove) =>
      store()('readwrite', (s) => {
        for (const [key, value] of put) s.put(value, key);
        for (const key of remove) s.delete(key);
        // Committed now, not when the worker's task ends: a page closing ends the worker soon.
        s.transaction.commit();
        return promisifyRequest(s.transaction);
      }),
  };
}

/** A store that lasts as long as the process: where there is no IndexedDB (Node, tests). */
export function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => map.get(key) as T | undefined,
    getMany: async <T>(list: string[]) => list.map((key) => map.get(key) as T | undefined),
    keys: async () => [...map.keys()],
    write: async (put, remove) => {
      for (const [key, value] of put) map.set(key, value);
      for (const key of remove) map.delete(key);
    },
  };
}

let checkpoints: KeyValueStore | undefined;
let datasets: KeyValueStore | undefined;
export const checkpointDatabase = () =>
  (checkpoints ??= indexedDbStore('ganvas-checkpoints', 'checkpoints'));
export const datasetDatabase = () => (datasets ??= indexedDbStore('ganvas-datasets', 'datasets'));

const infoKey = (documentId: string) => `info:${documentId}`;
const dataKey = (documentId: string) => `data:${documentId}`;
/** The single checkpoint kept before runs belonged to documents: dropped at the next write. */
const UNOWNED_KEYS = ['latest-info', 'latest-data'];

export interface KeptCheckpoint {
  bytes: Uint8Array;
  history: RunHistory;
}

/** Keeps a document's checkpoint in place of its last, dropping the oldest beyond the bound. */
export async function keepCheckpoint(
  info: SavedCheckpointInfo,
  checkpoint: KeptCheckpoint,
  store: KeyValueStore = checkpointDatabase(),
): Promise<void> {
  const others = (await keptCheckpointInfos(store)).filter((i) => i.documentId !== info.documentId);
  const dropped = others.slice(KEPT_DOCUMENTS - 1).map((i) => i.documentId);
  await store.write(
    [
      [dataKey(info.documentId), checkpoint],
      [infoKey(info.documentId), info],
    ],
    [...UNOWNED_KEYS, ...dropped.flatMap((id) => [infoKey(id), dataKey(id)])],
  );
}

/** Every kept checkpoint's info, the latest saved first. */
export async function keptCheckpointInfos(
  store: KeyValueStore = checkpointDatabase(),
): Promise<SavedCheckpointInfo[]> {
  const infoKeys = (await store.keys()).filter((k) => k.startsWith('info:'));
  const infos = await store.getMany<SavedCheckpointInfo>(infoKeys);
  return infos
    .filter((i): i is SavedCheckpointInfo => i !== undefined)
    .sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

export function keptCheckpointInfo(
  documentId: string,
  store: KeyValueStore = checkpointDatabase(),
): Promise<SavedCheckpointInfo | undefined> {
  return store.get(infoKey(documentId));
}

export function keptCheckpoint(
  documentId: string,
  store: KeyValueStore = checkpointDatabase(),
): Promise<KeptCheckpoint | undefined> {
  return store.get(dataKey(documentId));
}

export function forgetCheckpoint(
  documentId: string,
  store: KeyValueStore = checkpointDatabase(),
): Promise<void> {
  return store.write([], [infoKey(documentId), dataKey(documentId)]);
}

export interface KeptDataset {
  name: string;
  files: DatasetFile[];
}

export function keepDataset(
  source: string,
  dataset: KeptDataset,
  store: KeyValueStore = datasetDatabase(),
): Promise<void> {
  return store.write([[source, dataset]], []);
}

export function keptDataset(
  source: string,
  store: KeyValueStore = datasetDatabase(),
): Promise<KeptDataset | undefined> {
  return store.get(source);
}
