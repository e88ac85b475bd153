/**
 * Image folders as two-domain datasets, laid out as the reference implementation's unaligned
 * datasets are: `trainA/`, `trainB/`, and optionally `testA/`, `testB/`, under a common root at
 * any depth (`horse2zebra/trainA/0001.jpg`), subfolders included.
 *
 * Platform-neutral: the files come as entries (a Node folder walk, a browser's dropped folder or
 * FileList, a zip unpacked by `unzipEntries`; files picked per domain become `trainA/<name>` and
 * `trainB/<name>`), and decoding is injected (decodeNode.ts, decodeBrowser.ts), so the browser
 * loads in its worker exactly what `ganvas train --data <folder>` loads. Resizing is shared code,
 * so both give the same pixels. A file that cannot be read is skipped and reported, never fatal.
 *
 * When testA/ and testB/ hold the same file names (`testA/0001.jpg` and `testB/0001.png`, as a
 * folder of paired photos is laid out), each test image's namesake is its true translation, and
 * the training's quality curve scores against it as it does the built-in scenes.
 */
import { rgbToValues } from '../pixels';
import type { TwoDomainDataset } from './builtin';
import { ImageTooLarge } from './imageHeader';
import { resizeToRgb, type DecodedImage } from './imageResize';
import type { SceneDomain } from './scenes';
import { testPairs, testPairsText, type TestPairs, type TestPairsReport } from './testPairs';
import { zipEntries } from './zip';

export type { DecodedImage } from './imageResize';

/** A file of a dropped folder or zip, its path relative to what was dropped (`/`-separated). */
export interface DataFileEntry {
  path: string;
  bytes(): Promise<Uint8Array>;
}

/** Decodes a PNG or JPEG; throws (any Error) when the file is damaged. */
export type ImageDecoder = (bytes: Uint8Array, path: string) => Promise<DecodedImage>;

export type FolderSplit = 'trainA' | 'trainB' | 'testA' | 'testB';
const SPLITS: readonly FolderSplit[] = ['trainA', 'trainB', 'testA', 'testB'];

export interface SkippedFile {
  path: string;
  /** `empty file`, `corrupt: ...`, `too large: ...`, `unsupported format: ...`, `cannot read: ...` */
  reason: string;
}

export interface FolderLoadReport {
  /** Images loaded per folder. */
  loaded: Record<FolderSplit, number>;
  /** Image files that could not be used, each with why. */
  skipped: SkippedFile[];
  /** Files that are not images, or lie outside trainA/, trainB/, testA/, testB/. */
  ignored: string[];
  /** Whether testA/ and testB/ pair by file name; undefined when either is empty. */
  testPairs?: TestPairsReport;
}

/** A folder that cannot make a dataset (no trainA/ or trainB/ images); the report says what was found. */
export class ImageFolderError extends Error {
  constructor(
    message: string,
    readonly report: FolderLoadReport,
  ) {
    super(message);
  }
}

export interface ImageFolderOptions {
  /** Side of the square every image is resized to: the Dataset node's loadSize (or size). */
  loadSize: number;
  decode: ImageDecoder;
  /** What was dropped or named (`horse2zebra`, `photos.zip`), for the dataset's name and messages. */
  name: string;
  onProgress?: (done: number, total: number) => void;
}

export interface ImageFolderLoad {
  dataset: TwoDomainDataset;
  report: FolderLoadReport;
}

const READ_EXTENSIONS = new Set(['png', 'jpg', 'jpeg']);
// Image files that the reference would read but these decoders do not: skipped with a reason,
// so that a folder of WebP files does not look empty without saying why.
const OTHER_IMAGE_EXTENSIONS = new Set(['gif', 'webp', 'bmp', 'tif', 'tiff', 'ppm']);

function extension(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** Hidden files and folders, and the resource forks macOS puts into zips (`__MACOSX/`, `._x.jpg`). */
function isSystemFile(segments: readonly string[]): boolean {
  return segments.some((s) => s.startsWith('.') || s === '__MACOSX');
}

/** What the first bytes say the file is; undefined when nothing known. */
function sniffFormat(bytes: Uint8Array): string | undefined {
  const starts = (...values: number[]) => values.every((v, i) => bytes[i] === v);
  const ascii = (from: number, text: string) =>
    [...text].every((c, i) => bytes[from + i] === c.charCodeAt(0));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'PNG';
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG';
  if (ascii(0, 'GIF8')) return 'GIF';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'WebP';
  if (ascii(0, 'BM')) return 'BMP';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'TIFF';
  return undefined;
}

export type ImageRead = { ok: true; image: DecodedImage } | { ok: false; reason: string };

/**
 * Reads and decodes one image file, by its content rather than its name (a JPEG named .png
 * reads). Never throws: what goes wrong becomes the reason it is skipped.
 */
export async function readImageEntry(
  entry: DataFileEntry,
  decode: ImageDecoder,
): Promise<ImageRead> {
  let bytes: Uint8Array;
  try {
    bytes = await entry.bytes();
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as Error).message}` };
  }
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  const format = sniffFormat(bytes);
  if (format !== 'PNG' && format !== 'JPEG') {
    return {
      ok: false,
      reason: format
        ? `unsupported format: ${format} (PNG and JPEG are read)`
        : 'corrupt: not a PNG or JPEG image',
    };
  }
  try {
    const image = await decode(bytes, entry.path);
    if (!(image.width > 0 && image.height > 0)) {
      return { ok: false, reason: `corrupt: ${format} of ${image.width}x${image.height} pixels` };
    }
    return { ok: true, image };
  } catch (e) {
    const message = (e as Error).message;
    return {
      ok: false,
      reason:
        e instanceof ImageTooLarge
          ? `too large: ${message}`
          : `corrupt: ${format} does not decode (${message})`,
    };
  }
}

/** Whether a file name is one to read (png, jpg, jpeg), another image format, or no image. */
export function imageFileKind(path: string): 'image' | 'unsupported' | 'other' {
  const ext = extension(path);
  if (READ_EXTENSIONS.has(ext)) return 'image';
  return OTHER_IMAGE_EXTENSIONS.has(ext) ? 'unsupported' : 'other';
}

/** Why a file of another image format (by its name: .webp, .gif...) is skipped. */
export function unsupportedFormatReason(path: string): string {
  return `unsupported format: .${extension(path)} (PNG and JPEG are read)`;
}

interface SplitFile {
  entry: DataFileEntry;
  split: FolderSplit;
  /** The folder holding the split folder, with a trailing slash ('' at the top). */
  root: string;
  /** Its path inside the split folder without the extension: what pairs testA/ with testB/. */
  name: string;
}

/**
 * Where a file belongs in a dataset, by its path: an image to read in one of the split folders,
 * an image of a format that is not read, or nothing of the dataset (ignored).
 */
type DatasetPlace =
  | { kind: 'image'; split: FolderSplit; root: string; name: string }
  | { kind: 'unsupported' }
  | { kind: 'ignored' };

function datasetPlace(path: string): DatasetPlace {
  const segments = path.replace(/\\/g, '/').split('/').filter(Boolean);
  const kind = imageFileKind(path);
  const at = segments
    .slice(0, -1)
    .findIndex((s) => SPLITS.some((split) => split.toLowerCase() === s.toLowerCase()));
  if (isSystemFile(segments) || kind === 'other' || at < 0) return { kind: 'ignored' };
  if (kind === 'unsupported') return { kind };
  const split = SPLITS.find((s) => s.toLowerCase() === segments[at]!.toLowerCase())!;
  const root = segments.slice(0, at).join('/');
  const inside = segments.slice(at + 1).join('/');
  const name = inside.slice(0, inside.length - `.${extension(inside)}`.length);
  return { kind, split, root: root ? `${root}/` : '', name };
}

/** Files sorted into trainA/trainB/testA/testB; everything else ignored. */
function sortEntries(entries: readonly DataFileEntry[], report: FolderLoadReport): SplitFile[] {
  const files: SplitFile[] = [];
  for (const entry of entries) {
    const place = datasetPlace(entry.path);
    if (place.kind === 'ignored') report.ignored.push(entry.path);
    else if (place.kind === 'unsupported')
      report.skipped.push({ path: entry.path, reason: unsupportedFormatReason(entry.path) });
    else files.push({ entry, split: place.split, root: place.root, name: place.name });
  }
  return files;
}

function emptyReport(): FolderLoadReport {
  return { loaded: { trainA: 0, trainB: 0, testA: 0, testB: 0 }, skipped: [], ignored: [] };
}

/**
 * Loads every image under trainA/, trainB/, testA/ and testB/, resized to loadSize x loadSize and
 * kept as 8-bit RGB. Throws an ImageFolderError when trainA/ or trainB/ has no readable image, or
 * when the entries hold more than one dataset.
 */
export async function loadImageFolder(
  entries: readonly DataFileEntry[],
  options: ImageFolderOptions,
): Promise<ImageFolderLoad> {
  const { loadSize, decode, name } = options;
  if (!Number.isInteger(loadSize) || loadSize < 1) {
    throw new Error(`loadImageFolder: loadSize expected a positive integer, received ${loadSize}`);
  }
  const report = emptyReport();
  // In path order, so that image i is the same file however the files were listed (a browser's
  // drop, a zip, a folder walk), and a resumed run draws the same images.
  const files = sortEntries(entries, report).sort((a, b) =>
    a.entry.path < b.entry.path ? -1 : a.entry.path > b.entry.path ? 1 : 0,
  );
  const roots = [...new Set(files.map((f) => f.root))];
  if (roots.length > 1) {
    throw new ImageFolderError(
      `${name}: holds more than one dataset (${roots.map((r) => r || './').join(', ')}); give the folder of one`,
      report,
    );
  }
  const root = roots[0] ?? '';
  const images: Record<FolderSplit, Uint8Array[]> = {
    trainA: [],
    trainB: [],
    testA: [],
    testB: [],
  };
  const names: Pick<Record<FolderSplit, string[]>, 'testA' | 'testB'> = { testA: [], testB: [] };
  let done = 0;
  for (const file of files) {
    const read = await readImageEntry(file.entry, decode);
    if (read.ok) {
      images[file.split].push(resizeToRgb(read.image, loadSize, loadSize));
      if (file.split === 'testA' || file.split === 'testB') names[file.split].push(file.name);
      report.loaded[file.split]++;
    } else {
      report.skipped.push({ path: file.entry.path, reason: read.reason });
    }
    options.onProgress?.(++done, files.length);
  }
  for (const split of ['trainA', 'trainB'] as const) {
    if (images[split].length > 0) continue;
    const found = files.filter((f) => f.split === split).length;
    const what =
      found === 0
        ? 'it has no PNG or JPEG files'
        : `none of its ${found} image file${found === 1 ? '' : 's'} could be read`;
    const layout = 'a dataset holds trainA/ and trainB/ (testA/ and testB/ optional)';
    throw new ImageFolderError(`${name}: ${root}${split}/: ${what}; ${layout}`, report);
  }
  const pairs = testPairs(names.testA, names.testB);
  if (pairs) {
    report.testPairs =
      'partners' in pairs
        ? { paired: true, count: pairs.partners.length }
        : { paired: false, why: pairs.why };
  }
  return {
    dataset: imageFolderDataset(name, loadSize, images, pairs),
    report,
  };
}

function imageFolderDataset(
  name: string,
  size: number,
  images: Record<FolderSplit, Uint8Array[]>,
  /** testA/ image i's namesake in testB/ (partners[i]), or why the two do not pair. */
  pairs: TestPairs | undefined,
): TwoDomainDataset {
  const checked = (method: string, list: Uint8Array[], index: number): Uint8Array => {
    const rgb = list[index];
    if (!Number.isInteger(index) || !rgb) {
      throw new RangeError(
        `${name}.${method}: index expected an integer in [0, ${list.length}), received ${index}`,
      );
    }
    return rgb;
  };
  const get = (method: string, list: Uint8Array[], index: number) =>
    rgbToValues(checked(method, list, index));
  const train = (d: SceneDomain) => images[d === 'A' ? 'trainA' : 'trainB'];
  const test = (d: SceneDomain) => images[d === 'A' ? 'testA' : 'testB'];
  const counts = (of: (d: SceneDomain) => Uint8Array[]) => ({
    A: of('A').length,
    B: of('B').length,
  });
  const { trainA, trainB, testA, testB } = images;
  const dataset: TwoDomainDataset = {
    name,
    description: `Images from ${name}: trainA ${trainA.length}, trainB ${trainB.length}, testA ${testA.length}, testB ${testB.length}; ${pairs && 'partners' in pairs ? 'testA/ and testB/ paired by file name, each the true translation of the other' : 'unpaired, without true translations'}`,
    size,
    trainCount: Math.max(trainA.length, trainB.length),
    testCount: Math.max(testA.length, testB.length),
    domainCounts: { train: counts(train), test: counts(test) },
    paired: false,
    trainImage: (domain, index) => get('trainImage', train(domain), index),
    testImage: (domain, index) => get('testImage', test(domain), index),
  };
  if (!pairs) return dataset;
  if (!('partners' in pairs)) return { ...dataset, whyNoTruth: pairs.why };
  const { partners } = pairs;
  const partnerOfB = new Map(partners.map((b, a) => [b, a]));
  return {
    ...dataset,
    testTruth: (domain, index) => {
      checked('testTruth', test(domain), index);
      const partner = domain === 'A' ? partners[index]! : partnerOfB.get(index)!;
      return rgbToValues(test(domain === 'A' ? 'B' : 'A')[partner]!);
    },
  };
}

/** The report as lines for a person: counts per folder, then every skipped file with its reason. */
export function formatLoadReport(name: string, report: FolderLoadReport): string[] {
  const counts = SPLITS.map((s) => `${s} ${report.loaded[s]}`).join(', ');
  const lines = [`${name}: loaded ${counts}`];
  for (const s of report.skipped) lines.push(`  skipped ${s.path}: ${s.reason}`);
  if (report.testPairs) lines.push(`  ${testPairsText(report.testPairs)}`);
  if (report.ignored.length > 0) {
    const n = report.ignored.length;
    lines.push(
      `  ignored ${n} file${n === 1 ? '' : 's'} that ${n === 1 ? 'is' : 'are'} not a dataset image`,
    );
  }
  return lines;
}

const MIB = 1024 * 1024;
/**
 * The most one zip entry may inflate to: far above any dataset image (a 4-megapixel PNG is about
 * 12 MiB at worst), and what an entry declares is checked before anything is reserved for it.
 */
export const ZIP_ENTRY_LIMIT = 64 * MIB;
/** The most a zip's dataset images may inflate to together: horse2zebra's zip is 111 MB. */
export const ZIP_TOTAL_LIMIT = 1024 * MIB;

/**
 * The files of a zip archive as entries (folders left out); throws when it is not a zip, or when
 * its dataset images declare more than ZIP_TOTAL_LIMIT together, naming the entry that passed
 * it. Only what the central directory declares is read here: an image the folder loader will
 * read is inflated when its bytes are asked for, and only when it declares at most
 * ZIP_ENTRY_LIMIT; anything else is never inflated, and its `bytes()` says why.
 */
export function unzipEntries(bytes: Uint8Array): DataFileEntry[] {
  let total = 0;
  return zipEntries(bytes)
    .filter((entry) => !entry.name.endsWith('/'))
    .map(({ name, size, read }) => {
      const refuse = (reason: string) => ({
        path: name,
        bytes: () => Promise.reject(new Error(reason)),
      });
      if (datasetPlace(name).kind !== 'image') return refuse('not inflated: not a dataset image');
      if (size > ZIP_ENTRY_LIMIT) {
        return refuse(
          `declares ${size} bytes, more than an image may hold in a zip (${ZIP_ENTRY_LIMIT / MIB} MiB)`,
        );
      }
      total += size;
      if (total > ZIP_TOTAL_LIMIT) {
        throw new Error(
          `${name}: the zip's images declare more than ${ZIP_TOTAL_LIMIT / MIB} MiB together by this entry: refused`,
        );
      }
      return { path: name, bytes: async () => read() };
    });
}
