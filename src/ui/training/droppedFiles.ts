/**
 * Files people drop or pick, as a dataset's files: a folder (walked, paths kept relative to what
 * was dropped), a zip (opened by the worker), or images picked per domain (placed under trainA/
 * or trainB/). Only File handles are gathered here; reading and decoding happen in the worker.
 */
import type { DatasetFile } from '../../runtime/worker/protocol';

export interface DroppedDataset {
  name: string;
  files: DatasetFile[];
}

function readEntries(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries hands out a folder's entries in batches, until an empty one.
  return new Promise((resolve, reject) => {
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, out: DatasetFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    out.push({ path: entry.fullPath.replace(/^\//, ''), file });
  } else if (entry.isDirectory) {
    for (const child of await readEntries(entry as FileSystemDirectoryEntry))
      await walk(child, out);
  }
}

/** A name for what was dropped: its one folder, its one zip, or a generic one. */
function nameOf(paths: readonly string[]): string {
  const tops = new Set(paths.map((p) => p.split('/')[0]!));
  const [top] = tops;
  const name =
    tops.size === 1 && top !== undefined
      ? paths.length === 1 && !paths[0]!.includes('/')
        ? top.replace(/\.zip$/i, '')
        : top
      : 'dropped';
  return name.replace(/[^A-Za-z0-9_. -]+/g, '-') || 'dropped';
}

/**
 * Whether a drop holds a dataset (a folder or a zip) rather than a graph file. Call it during
 * the drop event: a DataTransfer's items are readable only then.
 */
export function isDatasetDrop(data: DataTransfer): boolean {
  return [...data.items].some((item) => {
    const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
    if (entry?.isDirectory) return true;
    const file = item.getAsFile();
    return file !== null && /\.zip$/i.test(file.name);
  });
}

/** The files of a drop. Call it in the drop event's handler (it takes the entries at once). */
export function droppedDataset(data: DataTransfer): Promise<DroppedDataset> {
  const entries = [...data.items].flatMap(
    (item): { entry: FileSystemEntry | null; file: File | null }[] => {
      const entry = item.kind === 'file' ? item.webkitGetAsEntry() : null;
      const file = item.kind === 'file' ? item.getAsFile() : null;
      return entry ? [{ entry, file }] : file ? [{ entry: null, file }] : [];
    },
  );
  return (async () => {
    const files: DatasetFile[] = [];
    for (const { entry, file } of entries) {
      if (entry) await walk(entry, files);
      else if (file) files.push({ path: file.name, file });
    }
    return { name: nameOf(files.map((f) => f.path)), files };
  })();
}

/** Files from a folder picker (webkitdirectory) or a zip picker. */
export function pickedDataset(list: FileList): DroppedDataset {
  const files = [...list].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
  return { name: nameOf(files.map((f) => f.path)), files };
}

/** Images picked for each domain, placed as the reference's layout has them. */
export function domainPicks(a: readonly File[], b: readonly File[]): DroppedDataset {
  return {
    name: 'picked images',
    files: [
      ...a.map((file) => ({ path: `trainA/${file.name}`, file })),
      ...b.map((file) => ({ path: `trainB/${file.name}`, file })),
    ],
  };
}
