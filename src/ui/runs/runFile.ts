/**
 * Runs that travel: a run as one JSON file (its graphs, curves, samples as base64 RGBA, and
 * optionally its checkpoint), read back in another browser; and a log of JSON lines (`ganvas
 * train --log`, the exported PyTorch program's log: `{"step", "losses", "stepMs"}` a line)
 * read as a run of a graph, so that a long run done elsewhere compares with short ones here.
 */
import { z } from 'zod';
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import { graphRevision } from '../../graph/revision';
import { newRunId, RUN_FORMAT, seriesKey, type RunRecord, type RunSeries } from './runRecord';

const FILE_VERSION = 1;

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

/** The run as one file's text; with `checkpoint`, the checkpoint's bytes too. */
export function runFileText(record: RunRecord, checkpoint?: Uint8Array): string {
  return JSON.stringify({
    version: FILE_VERSION,
    run: {
      ...record,
      samples: record.samples.map((s) => ({
        step: s.step,
        images: s.images.map((i) => ({ ...i, rgba: toBase64(new Uint8Array(i.rgba.buffer)) })),
      })),
    },
    ...(checkpoint ? { checkpoint: toBase64(checkpoint) } : {}),
  });
}

const Image = z.object({
  id: z.string(),
  label: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  rgba: z.string(),
});

const RunFile = z.object({
  version: z.literal(FILE_VERSION),
  run: z
    .object({
      format: z.literal(RUN_FORMAT),
      id: z.string().min(1),
      documentId: z.string(),
      graphName: z.string(),
      step: z.number().int().nonnegative(),
      samples: z.array(z.object({ step: z.number(), images: z.array(Image) })),
    })
    .loose(),
  checkpoint: z.string().optional(),
});

/** A run file read back: the record (from elsewhere, so unpinned) and its checkpoint if any. */
export function readRunFile(
  text: string,
): { ok: true; record: RunRecord; checkpoint?: Uint8Array } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not a run file: ${(e as Error).message}` };
  }
  const parsed = RunFile.safeParse(json);
  if (!parsed.success) {
    return { ok: false, message: `not a run file: ${parsed.error.issues[0]?.message ?? ''}` };
  }
  const { run, checkpoint } = parsed.data;
  const record = {
    ...(run as unknown as RunRecord),
    origin: 'import' as const,
    pinned: false,
    samples: run.samples.map((s) => ({
      step: s.step,
      images: s.images.map((i) => ({
        ...i,
        rgba: new Uint8ClampedArray(fromBase64(i.rgba).buffer),
      })),
    })),
  };
  return checkpoint
    ? { ok: true, record, checkpoint: fromBase64(checkpoint) }
    : { ok: true, record };
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
