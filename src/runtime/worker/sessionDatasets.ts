/**
 * The datasets a training session trains on besides the built-in ones: folders and zips people
 * dropped (decoded once per load size, so that a bad file is reported before training) and the
 * MNIST digits where they must be fetched (the browser). A graph is checked against them before
 * its trainer is made: a source not at hand is a problem on its Dataset node, not a failed step.
 */
import type { GraphDocument } from '../../graph/document';
import type { Problem } from '../../graph/problems';
import { builtinResolver, loadSizeOf, type DatasetResolver } from '../data/batches';
import type { TwoDomainDataset } from '../data/builtin';
import {
  ImageFolderError,
  loadImageFolder,
  unzipEntries,
  type DataFileEntry,
  type ImageDecoder,
} from '../data/folder';
import { createMnistDataset, type MnistDigits } from '../data/mnist';
import type { TrainingProgram } from '../program';
import type { DatasetFile, DatasetResult } from './protocol';

export interface DatasetSources {
  /** Decodes PNG and JPEG files of datasets. */
  decodeImage?: ImageDecoder;
  /** Finds the files of a dataset source added in an earlier session (the browser keeps them). */
  findDataset?: (source: string) => Promise<{ name: string; files: DatasetFile[] } | undefined>;
  /** Fetches the MNIST digits where they cannot be read from disk (the browser). */
  loadMnistDigits?: () => Promise<MnistDigits>;
  /** Reports decoding progress of a source. */
  onProgress?: (source: string, done: number, total: number) => void;
}

interface Folder {
  name: string;
  entries: DataFileEntry[];
  /** The folder's images by load size. */
  decoded: Map<number, TwoDomainDataset>;
}

function entriesOf(files: readonly DatasetFile[]): Promise<DataFileEntry[]> {
  return Promise.all(
    files.map(async ({ path, file }): Promise<DataFileEntry[]> => {
      const bytes = async () => new Uint8Array(await file.arrayBuffer());
      if (!path.toLowerCase().endsWith('.zip')) return [{ path, bytes }];
      // A dropped zip holds the folder; it is read whole (fflate needs it in memory anyway).
      return unzipEntries(await bytes());
    }),
  ).then((lists) => lists.flat());
}

export class SessionDatasets {
  private mnist?: MnistDigits;
  private readonly folders = new Map<string, Folder>();

  constructor(
    private readonly fallback: DatasetResolver = builtinResolver,
    private readonly sources: DatasetSources = {},
  ) {}

  /** Reads a dropped folder, zip or pick as dataset `source`, decoded at `loadSize` now. */
  async add(
    source: string,
    name: string,
    files: DatasetFile[],
    loadSize: number,
  ): Promise<DatasetResult> {
    let entries: DataFileEntry[];
    try {
      entries = await entriesOf(files);
    } catch (e) {
      return { ok: false, source, message: `${name}: not a zip archive (${(e as Error).message})` };
    }
    const folder: Folder = { name, entries, decoded: new Map() };
    try {
      const { dataset, report } = await this.decode(source, folder, loadSize);
      folder.decoded.set(loadSize, dataset);
      this.folders.set(source, folder);
      return { ok: true, source, name, loadSize, report };
    } catch (e) {
      const report = e instanceof ImageFolderError ? { report: e.report } : {};
      return { ok: false, source, message: (e as Error).message, ...report };
    }
  }

  /** Makes ready what the program's data nodes load, at their sizes; problems for what is not. */
  async prepare(document: GraphDocument, program: TrainingProgram): Promise<Problem[]> {
    const problems: Problem[] = [];
    for (const node of program.nodes) {
      const source = node.params.source;
      if (node.behavior !== 'dataset' || typeof source !== 'string') continue;
      const at = {
        path: `nodes[${document.nodes.findIndex((n) => n.id === node.id)}].params.source`,
        nodeId: node.id,
      };
      if (source === 'builtin:mnist' && this.sources.loadMnistDigits) {
        try {
          this.mnist ??= await this.sources.loadMnistDigits();
        } catch (e) {
          problems.push({
            ...at,
            code: 'dataset-missing',
            message: `the MNIST digits could not be loaded: ${(e as Error).message}`,
          });
        }
      }
      if (source.startsWith('builtin:')) continue;
      const folder = await this.folder(source);
      if (!folder) {
        problems.push({
          ...at,
          code: 'dataset-missing',
          message: `the dataset "${source}" is not loaded here: drop its folder or zip again`,
        });
        continue;
      }
      const size = loadSizeOf(node);
      if (folder.decoded.has(size)) continue;
      try {
        folder.decoded.set(size, (await this.decode(source, folder, size)).dataset);
      } catch (e) {
        problems.push({ ...at, code: 'dataset-unreadable', message: (e as Error).message });
      }
    }
    return problems;
  }

  /** Serves what `prepare` made ready, and the built-in datasets. */
  resolver(): DatasetResolver {
    return (source, size) => {
      if (source === 'builtin:mnist' && this.mnist) return createMnistDataset(size, this.mnist);
      return this.folders.get(source)?.decoded.get(size) ?? this.fallback(source, size);
    };
  }

  private async folder(source: string): Promise<Folder | undefined> {
    const known = this.folders.get(source);
    if (known) return known;
    const found = await this.sources.findDataset?.(source);
    if (!found) return undefined;
    const folder = { name: found.name, entries: await entriesOf(found.files), decoded: new Map() };
    this.folders.set(source, folder);
    return folder;
  }

  private decode(source: string, folder: Folder, loadSize: number) {
    const decode = this.sources.decodeImage;
    if (!decode) throw new Error('this session cannot decode images: it was given no decoder');
    return loadImageFolder(folder.entries, {
      loadSize,
      decode,
      name: folder.name,
      onProgress: (done, total) => this.sources.onProgress?.(source, done, total),
    });
  }
}
