/**
 * What the browser keeps in IndexedDB for after a reload: the latest checkpoint (with the losses
 * before it, for the charts) and the files of datasets people brought. The worker writes, so
 * that checkpoint bytes never cross the page's thread; the page reads only the small info
 * record, to offer to resume.
 */
import { createStore, del, get, setMany, type UseStore } from 'idb-keyval';
import type { DatasetFile, LossRecord, SavedCheckpointInfo } from './protocol';

let checkpoints: UseStore | undefined;
let datasets: UseStore | undefined;

// One store per database: idb-keyval opens each database with the single store it names.
const checkpointStore = () => (checkpoints ??= createStore('ganvas-checkpoints', 'checkpoints'));
const datasetStore = () => (datasets ??= createStore('ganvas-datasets', 'datasets'));

const INFO = 'latest-info';
const DATA = 'latest-data';

export interface KeptCheckpoint {
  bytes: Uint8Array;
  history: LossRecord[];
}

/** Keeps a checkpoint as the latest, replacing the one before (info and bytes in one transaction). */
export async function keepCheckpoint(
  info: SavedCheckpointInfo,
  checkpoint: KeptCheckpoint,
): Promise<void> {
  await setMany(
    [
      [DATA, checkpoint],
      [INFO, info],
    ],
    checkpointStore(),
  );
}

export function keptCheckpointInfo(): Promise<SavedCheckpointInfo | undefined> {
  return get<SavedCheckpointInfo>(INFO, checkpointStore());
}

export function keptCheckpoint(): Promise<KeptCheckpoint | undefined> {
  return get<KeptCheckpoint>(DATA, checkpointStore());
}

export async function forgetCheckpoint(): Promise<void> {
  await del(INFO, checkpointStore());
  await del(DATA, checkpointStore());
}

export interface KeptDataset {
  name: string;
  files: DatasetFile[];
}

export async function keepDataset(source: string, dataset: KeptDataset): Promise<void> {
  await setMany([[source, dataset]], datasetStore());
}

export function keptDataset(source: string): Promise<KeptDataset | undefined> {
  return get<KeptDataset>(source, datasetStore());
}
