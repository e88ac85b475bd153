/**
 * A run as the browser keeps it after it ends: the graph it trained (each revision), its variable
 * overrides, backend, steps and time, its curves as named series, samples at intervals, and a
 * link to the checkpoint kept for its document. Pure data and pure functions: the store
 * (runStore.ts) keeps records, the recorder (runRecorder.ts) writes them as a run goes.
 *
 * Curves are a map of named series, each of a kind: `loss` for the loss terms (named by their
 * node ids, so that runs of rewired graphs still match term by term), and any other kind (a
 * quality score) joins the map the same way, under its own kind.
 */
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import type { RunHistory, SampleImage } from '../../runtime/worker/protocol';

export const RUN_FORMAT = 'ganvas-run';

/** One curve: its points as [step, value], steps increasing. */
export interface RunSeries {
  /** `loss`, or another kind of curve (`quality`). */
  kind: string;
  /** What matches it across runs: a loss term's node id, a score's name. */
  name: string;
  /** What the latest program called it: `cycle_A · L2`. */
  label: string;
  points: [number, number][];
}

export interface RunSamples {
  step: number;
  images: SampleImage[];
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  id: string;
  documentId: string;
  graphName: string;
  /** Each revision of the graph the run trained, and where it began (as the history's segments). */
  segments: { revision: string; start: number }[];
  /** The graphs by revision; one edited before it trained may be missing. */
  graphs: Record<string, GraphDocument>;
  overrides: Record<string, VariableValue>;
  backend: string;
  step: number;
  startedAt: string;
  updatedAt: string;
  /** Milliseconds spent training (running), not paused. */
  trainingMs: number;
  /** By `${kind}:${name}`. */
  series: Record<string, RunSeries>;
  /** Oldest first; thinned when the store is over its budget. */
  samples: RunSamples[];
  pinned: boolean;
  /** Where it was trained: this browser, or a log imported (the CLI, the PyTorch export). */
  origin: 'browser' | 'log' | 'import';
  /** The checkpoint kept for its document in this browser, at this step, when it was saved. */
  checkpoint?: { documentId: string; step: number };
}

export const seriesKey = (kind: string, name: string) => `${kind}:${name}`;

/** The latest graph the run trained, if kept. */
export function latestGraph(record: RunRecord): GraphDocument | undefined {
  for (let i = record.segments.length - 1; i >= 0; i--) {
    const graph = record.graphs[record.segments[i]!.revision];
    if (graph) return graph;
  }
  return Object.values(record.graphs)[0];
}

/**
 * Two records' series of one run as one: `later`'s points past the last step of `earlier`'s
 * series appended to it, labelled as `later` labels them. What a resumed run's record keeps of
 * the record it continues, whatever history its checkpoint brought back.
 */
export function mergedSeries(
  earlier: Readonly<Record<string, RunSeries>>,
  later: Readonly<Record<string, RunSeries>>,
): Record<string, RunSeries> {
  const out: Record<string, RunSeries> = { ...earlier };
  for (const [key, series] of Object.entries(later)) {
    const kept = out[key]?.points ?? [];
    const last = kept.at(-1)?.[0] ?? -Infinity;
    out[key] = { ...series, points: [...kept, ...series.points.filter(([step]) => step > last)] };
  }
  return out;
}

/**
 * The loss series of a history, merged into the series a record has: points past each series'
 * last step are appended, labels follow the latest program.
 */
export function withLossSeries(
  series: Readonly<Record<string, RunSeries>>,
  history: RunHistory,
): Record<string, RunSeries> {
  const out: Record<string, RunSeries> = { ...series };
  // Each series touched is copied once, then grown in place.
  const copied = new Set<string>();
  for (const segment of history.segments) {
    const labels = new Map(segment.lossTerms.map((t) => [t.id, `${t.label} · ${t.type}`]));
    for (const record of segment.records) {
      for (const [name, value] of Object.entries(record.losses)) {
        const key = seriesKey('loss', name);
        const known = out[key];
        if (record.step <= (known?.points.at(-1)?.[0] ?? -1)) continue;
        const label = labels.get(name) ?? known?.label ?? name;
        if (!known || !copied.has(key)) {
          out[key] = { kind: 'loss', name, label, points: [...(known?.points ?? [])] };
          copied.add(key);
        }
        const grown = out[key]!;
        grown.label = label;
        grown.points.push([record.step, value]);
      }
    }
  }
  return out;
}

/** Bytes a record's samples hold. */
export function sampleBytes(record: Pick<RunRecord, 'samples'>): number {
  return record.samples.reduce(
    (n, s) => n + s.images.reduce((m, i) => m + i.rgba.byteLength, 0),
    0,
  );
}

/**
 * Thins samples until all records fit `budget` bytes: the least recently updated unpinned run
 * first, every other sample dropped (the first and last stay), then the next; a run with two
 * samples left loses its older one. Curves and graphs stay: they are small. Returns the records
 * changed.
 */
export function thinToBudget(records: readonly RunRecord[], budget: number): RunRecord[] {
  let total = records.reduce((n, r) => n + sampleBytes(r), 0);
  const changed = new Map<string, RunRecord>();
  const candidates = records
    .filter((r) => !r.pinned)
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt));
  for (const original of candidates) {
    let record = original;
    while (total > budget && record.samples.length > 1) {
      const kept =
        record.samples.length === 2
          ? record.samples.slice(1)
          : record.samples.filter((_, i, all) => i % 2 === 0 || i === all.length - 1);
      const next = { ...record, samples: kept };
      total -= sampleBytes(record) - sampleBytes(next);
      record = next;
    }
    if (record !== original) changed.set(record.id, record);
    if (total <= budget) break;
  }
  return [...changed.values()];
}

/** A new id for a run. */
export function newRunId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `run-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
