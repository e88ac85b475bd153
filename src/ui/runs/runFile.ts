/**
 * Runs that travel: a run as one JSON file (its graphs, curves, samples as base64 RGBA, and
 * optionally its checkpoint), read back in another browser; and a log of JSON lines (`ganvas
 * train --log`, the exported PyTorch program's log: `{"step", "losses", "stepMs"}` a line)
 * read as a run of a graph, so that a long run done elsewhere compares with short ones here.
 */
import { z } from 'zod';
import { formatBytes } from '../../graph/budget';
import { parseDocument, type GraphDocument } from '../../graph/document';
import { formatPath, formatProblem } from '../../graph/problems';
import { problemsFromZodError } from '../../graph/zodProblems';
import { SAMPLES_PER_BATCH } from '../../runtime/worker/protocol';
import type { VariableValue } from '../../graph/expression';
import { graphRevision } from '../../graph/revision';
import { newRunId, RUN_FORMAT, seriesKey, type RunRecord, type RunSeries } from './runRecord';

const FILE_VERSION = 1;

const MiB = 2 ** 20;
/**
 * The largest run file or log read: a run's samples are kept within 200 MiB (267 MiB in base64)
 * and its checkpoint adds up to a few hundred (about 340 MB for the 256×256 CycleGAN with Adam).
 * A larger file is refused by its size, before it is read.
 */
export const RUN_FILE_LIMIT = 512 * MiB;
/** Why a file of `bytes` is not read as a run or a log. */
export function tooLargeForARun(bytes: number): string {
  return `${formatBytes(bytes)} is more than a run file or a training log may be (${RUN_FILE_LIMIT / MiB} MiB): not read`;
}

/** A sample image's side at most: the largest size a Dataset or Images node takes. */
const MAX_SIDE = 4096;

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function fromBase64(text: string): Uint8Array {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** An image's bytes as they are, even where they are a view of a larger buffer. */
const bytesOf = (rgba: Uint8ClampedArray) =>
  toBase64(new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength));

/** The run as one file's text; with `checkpoint`, the checkpoint's bytes too. */
export function runFileText(record: RunRecord, checkpoint?: Uint8Array): string {
  // Where its checkpoint is kept says nothing to another browser: the file carries its bytes.
  const { checkpoint: _kept, ...run } = record;
  return JSON.stringify({
    version: FILE_VERSION,
    run: {
      ...run,
      samples: record.samples.map((s) => ({
        step: s.step,
        images: s.images.map(({ more, ...i }) => ({
          ...i,
          rgba: bytesOf(i.rgba),
          ...(more ? { more: more.map(bytesOf) } : {}),
        })),
      })),
    },
    ...(checkpoint ? { checkpoint: toBase64(checkpoint) } : {}),
  });
}

/** Base64 of exactly `bytes` bytes: what its length must be, checked before it is decoded. */
const base64Length = (bytes: number) => 4 * Math.ceil(bytes / 3);

const FileImage = z
  .object({
    id: z.string().max(200),
    label: z.string().max(500),
    width: z.number().int().positive().max(MAX_SIDE),
    height: z.number().int().positive().max(MAX_SIDE),
    rgba: z.string(),
    more: z
      .array(z.string())
      .max(SAMPLES_PER_BATCH - 1)
      .optional(),
  })
  .superRefine((image, context) => {
    const bytes = image.width * image.height * 4;
    const check = (text: string, path: (string | number)[]) => {
      if (text.length !== base64Length(bytes)) {
        context.addIssue({
          code: 'custom',
          path,
          message: `expected the ${bytes} RGBA bytes of a ${image.width}×${image.height} image in base64 (${base64Length(bytes)} characters), found ${text.length} characters`,
        });
      }
    };
    check(image.rgba, ['rgba']);
    image.more?.forEach((text, i) => check(text, ['more', i]));
  });

const Step = z.number().int().nonnegative();
const DateText = z
  .string()
  .max(100)
  .refine((text) => !Number.isNaN(Date.parse(text)), 'expected a date and time');

const FileRun = z.object({
  format: z.literal(RUN_FORMAT),
  id: z.string().min(1).max(200),
  documentId: z.string().max(200),
  graphName: z.string().max(500),
  segments: z.array(z.object({ revision: z.string().max(200), start: Step })),
  // Each graph is read as a document is (migrations, every check), below.
  graphs: z.record(z.string().max(200), z.unknown()),
  overrides: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  backend: z.string().max(100),
  step: Step,
  startedAt: DateText,
  updatedAt: DateText,
  trainingMs: z.number().nonnegative().finite(),
  series: z.record(
    z.string(),
    z.object({
      kind: z.string().min(1).max(100),
      name: z.string().max(500),
      label: z.string().max(500),
      // JSON has no NaN: a diverged loss is written null.
      points: z.array(z.tuple([Step, z.number().nullable()])),
    }),
  ),
  samples: z.array(z.object({ step: Step, images: z.array(FileImage).max(64) })),
});

const RunFile = z.object({
  version: z.literal(FILE_VERSION),
  run: FileRun,
  checkpoint: z.string().optional(),
});

export type RunFileRead =
  { ok: true; record: RunRecord; checkpoint?: Uint8Array } | { ok: false; message: string };

/**
 * A run file read back: the record (from elsewhere, so unpinned, and with no checkpoint kept
 * here) and the checkpoint it carries, if any. Every field is checked, each graph as a document
 * is, each image's bytes against its size; what is wrong is named by its place in the file.
 */
export function readRunFile(text: string): RunFileRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not a run file: ${(e as Error).message}` };
  }
  const parsed = RunFile.safeParse(json);
  if (!parsed.success) {
    const [first] = problemsFromZodError(parsed.error, json, 'schema');
    return { ok: false, message: `not a run file: ${first ? formatProblem(first) : ''}` };
  }
  const { run, checkpoint } = parsed.data;
  const graphs: Record<string, GraphDocument> = {};
  for (const [revision, graph] of Object.entries(run.graphs)) {
    const read = parseDocument(graph);
    if (!read.ok) {
      const at = formatPath(['run', 'graphs', revision]);
      return { ok: false, message: `${at}: ${formatProblem(read.problems[0]!)}` };
    }
    graphs[revision] = read.document;
  }
  const image = (text: string) => new Uint8ClampedArray(fromBase64(text).buffer);
  const record: RunRecord = {
    ...run,
    graphs,
    origin: 'import',
    pinned: false,
    series: Object.fromEntries(
      Object.entries(run.series).map(([key, s]) => [
        key,
        { ...s, points: s.points.map(([step, v]) => [step, v ?? Number.NaN] as [number, number]) },
      ]),
    ),
    samples: run.samples.map((s) => ({
      step: s.step,
      images: s.images.map(({ more, ...i }) => ({
        ...i,
        rgba: image(i.rgba),
        ...(more ? { more: more.map(image) } : {}),
      })),
    })),
  };
  try {
    return checkpoint
      ? { ok: true, record, checkpoint: fromBase64(checkpoint) }
      : { ok: true, record };
  } catch {
    return { ok: false, message: 'not a run file: checkpoint: not base64' };
  }
}

/**
 * What the Runs tab imports from a file: a run file, or else a training log of `document` (with
 * its overrides); refused by its size before it is read.
 */
export async function importedRun(
  file: File,
  document: GraphDocument & { id: string },
  overrides: Record<string, VariableValue>,
): Promise<RunFileRead> {
  if (file.size > RUN_FILE_LIMIT) return { ok: false, message: tooLargeForARun(file.size) };
  const text = await file.text();
  const asRun = readRunFile(text);
  if (asRun.ok) return asRun;
  const fromLog = runFromLog(text, file.name, document, overrides);
  return fromLog.ok
    ? fromLog
    : { ok: false, message: `${asRun.message}; nor a training log: ${fromLog.message}` };
}

const LogLine = z.object({
  step: z.number().int().nonnegative(),
  losses: z.record(z.string(), z.number().nullable()),
  stepMs: z.number().optional(),
});

/**
 * A training log as a run of `document` (the graph it trained, with its overrides): each loss
 * term a series, its time the sum of its steps'. A line that is not a step is a problem, by number.
 */
export function runFromLog(
  text: string,
  name: string,
  document: GraphDocument & { id: string },
  overrides: Record<string, VariableValue>,
  now = new Date(),
): { ok: true; record: RunRecord } | { ok: false; message: string } {
  const series: Record<string, RunSeries> = {};
  let step = 0;
  let trainingMs = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let parsed;
    try {
      parsed = LogLine.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      return { ok: false, message: `${name}, line ${i + 1}: expected {"step", "losses"}` };
    }
    const entry = parsed.data;
    step = Math.max(step, entry.step);
    trainingMs += entry.stepMs ?? 0;
    for (const [term, value] of Object.entries(entry.losses)) {
      const key = seriesKey('loss', term);
      series[key] ??= { kind: 'loss', name: term, label: term, points: [] };
      // JSON has no NaN: a diverged loss is written null.
      series[key].points.push([entry.step, value ?? Number.NaN]);
    }
  }
  if (Object.keys(series).length === 0) return { ok: false, message: `${name}: no steps in it` };
  const revision = graphRevision(document, overrides);
  const at = now.toISOString();
  return {
    ok: true,
    record: {
      format: RUN_FORMAT,
      id: newRunId(),
      documentId: document.id,
      graphName: `${document.name} (${name})`,
      segments: [{ revision, start: 0 }],
      graphs: { [revision]: document },
      overrides,
      backend: 'elsewhere',
      step,
      startedAt: at,
      updatedAt: at,
      trainingMs,
      series,
      samples: [],
      pinned: false,
      origin: 'log',
    },
  };
}
