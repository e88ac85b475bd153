/**
 * Every run kept in IndexedDB, of every document, within RUN_STORAGE_BUDGET bytes of samples:
 * past it, the oldest runs' samples are thinned first (runRecord.ts), pinned runs never. A
 * record is written whole under its id; the list reads them all (curves and graphs are small).
 */
import { memoryStore, type KeyValueStore } from '../../runtime/worker/checkpointStore';
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import { thinToBudget, type RunRecord } from './runRecord';

/** 200 MiB of samples: about 2,000 grids of six 256×256 images. */
export const RUN_STORAGE_BUDGET = 200 * 2 ** 20;

/** What the runs are kept in: IndexedDB in a browser, a Map where there is none. */
export interface RunStorage {
  list(): Promise<RunRecord[]>;
  get(id: string): Promise<RunRecord | undefined>;
  put(record: RunRecord): Promise<void>;
  delete(id: string): Promise<void>;
}

function indexedDbRuns(): RunStorage {
  let use: UseStore | undefined;
  const store = () => (use ??= createStore('ganvas-runs', 'runs'));
  return {
    list: async () => {
      const ids = await keys<string>(store());
      const records = await Promise.all(ids.map((id) => get<RunRecord>(id, store())));
      return records.filter((r): r is RunRecord => r !== undefined);
    },
    get: (id) => get<RunRecord>(id, store()),
    put: (record) => set(record.id, record, store()),
    delete: (id) => del(id, store()),
  };
}

/** Runs kept as long as the page lives: for tests and where IndexedDB is missing. */
export function memoryRuns(store: KeyValueStore = memoryStore()): RunStorage {
  return {
    list: async () => {
      const records = await store.getMany<RunRecord>(await store.keys());
      return records.filter((r): r is RunRecord => r !== undefined);
    },
    get: (id) => store.get<RunRecord>(id),
    put: (record) => store.write([[record.id, record]], []),
    delete: (id) => store.write([], [id]),
  };
}

let runs: RunStorage | undefined;
export const runStorage = (): RunStorage =>
  (runs ??= typeof indexedDB === 'undefined' ? memoryRuns() : indexedDbRuns());

/** Keeps a record, then thins the oldest samples until every run fits the budget. */
export async function keepRun(
  record: RunRecord,
  storage: RunStorage = runStorage(),
  budget = RUN_STORAGE_BUDGET,
): Promise<void> {
  await storage.put(record);
  const all = await storage.list();
  for (const thinned of thinToBudget(all, budget)) await storage.put(thinned);
}

/** Newest first. */
export function newestFirst(records: readonly RunRecord[]): RunRecord[] {
  return [...records].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}
