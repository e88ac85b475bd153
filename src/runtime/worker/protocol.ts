/**
 * What the page and the training worker say to each other. The page imports this file and never
 * loads tfjs; the worker implements TrainingApi behind comlink. The events the worker sends are
 * zod schemas (their types derived from them), so that tests check every event at the boundary.
 */
import { z } from 'zod';
import type { DeviceLimits } from '../../graph/budget';
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import type { Problem } from '../../graph/problems';
import type { NetworkRole } from '../../nodes/kind';
import type { FolderLoadReport } from '../data/folder';
import { QualityReport } from '../quality/qualityReport';

export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'cpu';

export interface BackendInfo {
  requested: BackendChoice;
  backend: string;
  /** Why a faster backend was not used. */
  reason?: string;
  adapter?: string;
  /** The WebGPU device's largest buffer and binding: the largest tensor it can hold. */
  bufferLimits?: BufferLimits;
}

export type BufferLimits = Pick<DeviceLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>;

export const SampleImage = z.strictObject({
  /** The Preview node's id, and what to call it. */
  id: z.string(),
  label: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The first image of the batch as RGBA bytes. */
  rgba: z.custom<Uint8ClampedArray>((v) => v instanceof Uint8ClampedArray, 'expected RGBA bytes'),
  /** The batch's next images (up to SAMPLES_PER_BATCH in all), each as RGBA bytes like `rgba`. */
  more: z
    .array(
      z.custom<Uint8ClampedArray>((v) => v instanceof Uint8ClampedArray, 'expected RGBA bytes'),
    )
    .optional(),
});

/** The most images of one batch a sample shows: a 4×4 grid. */
export const SAMPLES_PER_BATCH = 16;
export type SampleImage = z.infer<typeof SampleImage>;

export const RunState = z.enum(['idle', 'running', 'paused', 'stopped']);
export type RunState = z.infer<typeof RunState>;

/** The losses of one step, by loss node id. */
export interface LossRecord {
  step: number;
  losses: Record<string, number>;
}

const Step = z.number().int().nonnegative();
/** A loss can become NaN or ±Infinity (the guard pauses on it), which z.number() refuses. */
const LossValue = z.custom<number>((v) => typeof v === 'number', 'expected a number');

/**
 * Why a run paused or stopped, as data: the page words it, and never reads a reason's text to
 * decide what happened. A pause or stop that was asked for comes without a reason.
 */
export const RunReason = z.discriminatedUnion('kind', [
  /** The run reached the step it was asked to stop at. */
  z.strictObject({ kind: z.literal('target-reached'), step: Step }),
  /** A loss term became NaN or ±Infinity: the guard paused before the next step. */
  z.strictObject({ kind: z.literal('nan'), term: z.string(), step: Step, value: LossValue }),
  /** A step threw (out of memory, a kernel the backend lacks); the state is that of `step`. */
  z.strictObject({ kind: z.literal('step-failed'), step: Step, message: z.string() }),
  /** The GPU device was lost: the trainer is gone with it. Comes with state 'stopped'. */
  z.strictObject({ kind: z.literal('device-lost'), message: z.string() }),
]);
export type RunReason = z.infer<typeof RunReason>;

const StepEvent = z.strictObject({
  type: z.literal('step'),
  step: Step,
  losses: z.record(z.string(), LossValue),
  stepMs: z.number().nonnegative(),
  /** Bytes held by tfjs (on the GPU for webgpu and webgl). */
  memoryBytes: z.number().nonnegative(),
  numTensors: z.number().int().nonnegative(),
  /** Each optimizer's learning rate for this step, by optimizer id. */
  learningRates: z.record(z.string(), z.number()),
});
const SamplesEvent = z.strictObject({
  type: z.literal('samples'),
  step: Step,
  samples: z.array(SampleImage),
});
const StateEvent = z.strictObject({
  type: z.literal('state'),
  state: RunState,
  step: Step,
  reason: RunReason.optional(),
});
const CheckpointEvent = z.strictObject({
  type: z.literal('checkpoint'),
  step: Step,
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected bytes'),
});
const DatasetProgressEvent = z.strictObject({
  type: z.literal('dataset-progress'),
  source: z.string(),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
/** The run's quality on its held-out set after `step` (see quality/qualityProbe.ts). */
const QualityEvent = z.strictObject({
  type: z.literal('quality'),
  step: Step,
  report: QualityReport,
});

export const TrainingEvent = z.discriminatedUnion('type', [
  StepEvent,
  SamplesEvent,
  StateEvent,
  CheckpointEvent,
  DatasetProgressEvent,
  QualityEvent,
]);
export type TrainingEvent = z.infer<typeof TrainingEvent>;

/** An optimizer as the training panel shows it: its settings and the loss terms it sums. */
export interface OptimizerInfo {
  id: string;
  label: string;
  type: string;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Loss node ids, in the order they are summed. */
  losses: string[];
  /** Steps at the initial rate before the linear decay to zero; null: constant. */
  constantSteps: number | null;
  decaySteps: number;
  updates: number;
}

/** A Loss node as trained: its kind of loss and its weight in its optimizer's sum. */
export interface LossTerm {
  id: string;
  label: string;
  type: string;
  weight: number;
}

export interface NetworkInfo {
  id: string;
  role: NetworkRole;
  label: string;
  /** NHWC as trained (batch first). */
  inputShape: number[];
}

/**
 * A stretch of a run trained by one program (one graph revision): its curves keep the names and
 * kinds of loss they had then. A run's history starts a new segment at every step where the
 * program changed (an edit carried over mid-run, a checkpoint resumed into another graph).
 */
export interface HistorySegment {
  /** The graph revision trained (see graphRevision). */
  revision: string;
  /** Steps completed when this segment began: its records have larger steps. */
  start: number;
  /** The loss terms as this program named and weighted them. */
  lossTerms: LossTerm[];
  records: LossRecord[];
}

/** The losses of a run so far, segment by segment, oldest first. */
export interface RunHistory {
  segments: HistorySegment[];
}

export type LoadResult =
  | {
      ok: true;
      /** The document the trainer belongs to, and the revision of it that it trains. */
      documentId: string;
      revision: string;
      losses: string[];
      previews: string[];
      step: number;
      /** Node and network ids to what the graph calls them. */
      labels: Record<string, string>;
      optimizers: OptimizerInfo[];
      networks: NetworkInfo[];
      lossTerms: LossTerm[];
      /** The run's losses up to `step`, as far as they are known (a resumed run's included). */
      history: RunHistory;
    }
  | { ok: false; problems: Problem[] };

export interface LoadRequest {
  /** The document as edited; its `id` names the run (see withDocumentId). */
  document: GraphDocument & { id: string };
  overrides?: Record<string, VariableValue>;
  seed?: number;
  /** Bytes a training step may hold (the user's budget); the default budget when absent. */
  memoryBudget?: number;
}

export interface RunOptions {
  /** Stop (pause) after this many steps in all; unbounded when absent. */
  until?: number;
  /** Send samples every this many steps. */
  samplesEvery?: number;
  /** Send a checkpoint every this many steps (and on pause). */
  checkpointEvery?: number;
  /** Measure the run's quality on its held-out set every this many steps. */
  qualityEvery?: number;
}

/** A file of a dropped folder, zip or pick, as the page hands it over (File objects are cheap to send). */
export interface DatasetFile {
  /** Relative to what was dropped: `horse2zebra/trainA/1.jpg`; a zip's path is its name. */
  path: string;
  file: Blob;
}

export type DatasetResult =
  | {
      ok: true;
      source: string;
      name: string;
      loadSize: number;
      report: FolderLoadReport;
      /** Why the files could not be kept for after a reload (the browser's storage is full). */
      notKept?: string;
    }
  | { ok: false; source: string; message: string; report?: FolderLoadReport };

/** An image translated by a generator: what went in (resized to the network's input) and out. */
export interface Translation {
  networkId: string;
  input: SampleImage;
  output: SampleImage;
  /** The exact values, NHWC in [-1, 1], for checking against an export. */
  inputValues: Float32Array;
  outputValues: Float32Array;
  shape: number[];
}

export interface ExportedModel {
  networkId: string;
  /** A zip holding model.json and weights.bin, as tf.loadGraphModel reads them. */
  zip: Uint8Array;
  modelJson: string;
  weights: Uint8Array;
}

export interface TrainingApi {
  selectBackend(choice: BackendChoice): Promise<BackendInfo>;
  /** Compiles a graph and makes a fresh trainer; a graph with errors comes back as problems. */
  load(request: LoadRequest): Promise<LoadResult>;
  /**
   * Continues from a checkpoint file. With `into`, the state must fit that graph (the one being
   * edited); a checkpoint of another graph, or a damaged one, is refused: a problem with code
   * 'checkpoint-refused' and the reason. Without, the checkpoint's own graph is loaded. The
   * history is kept up to the checkpoint's step; a segment begins there where the graph differs.
   */
  resume(bytes: Uint8Array, into?: LoadRequest, history?: RunHistory): Promise<LoadResult>;
  /**
   * Carries the trained state over to an edited graph of the same document, paused at the same
   * step; an edit the weights do not fit, or another document, is refused (code
   * 'checkpoint-refused') and the old graph stays. A changed revision begins a history segment.
   */
  continueWith(request: LoadRequest): Promise<LoadResult>;
  /** Trains until paused, stopped or `until`; resolves then. Events report progress. */
  run(options?: RunOptions): Promise<void>;
  pause(): Promise<void>;
  stop(): Promise<void>;
  /** Exactly `count` steps, then paused. */
  step(count: number, options?: RunOptions): Promise<void>;
  checkpoint(): Promise<Uint8Array>;
  /**
   * Sends a checkpoint event of the latest step (paused: now; running: after the step under
   * way), unless one went out for it. For a page being hidden or closed: it asks for nothing back.
   */
  checkpointNow(): Promise<void>;
  samples(): Promise<SampleImage[]>;
  subscribe(listener: (event: TrainingEvent) => void): Promise<void>;
  /**
   * Reads a dropped folder, zip or per-domain pick as dataset `source` (decoded and resized to
   * `loadSize` now, so that unreadable files are reported before training); a Dataset node whose
   * source param names it then trains on it, at whatever load size the node asks for.
   */
  addDataset(
    source: string,
    name: string,
    files: DatasetFile[],
    loadSize: number,
  ): Promise<DatasetResult>;
  /** Applies a trained generator to an image file (PNG or JPEG), resized to its input size. */
  translate(networkId: string, image: Blob): Promise<Translation>;
  /** A network as a TensorFlow.js graph model. */
  exportNetwork(networkId: string): Promise<ExportedModel>;
}

/** A checkpoint kept by the browser (IndexedDB), one per document, as the page lists it. */
export const SavedCheckpointInfo = z.strictObject({
  /** The document whose run it continues, and the revision it was trained with. */
  documentId: z.string(),
  revision: z.string(),
  step: Step,
  savedAt: z.string(),
  bytes: z.number().int().nonnegative(),
  graphName: z.string(),
  backend: z.string(),
});
export type SavedCheckpointInfo = z.infer<typeof SavedCheckpointInfo>;

/**
 * The worker as the page sees it: the session, plus what only a browser does: checkpoints kept
 * in IndexedDB (written from the worker, so their bytes never cross the page's thread) and
 * datasets kept there for after a reload.
 */
export interface BrowserTrainingApi extends Omit<TrainingApi, 'subscribe'> {
  subscribe(listener: (event: BrowserTrainingEvent) => void): Promise<void>;
  /** Continues from the checkpoint kept in IndexedDB for `into.document.id`, into that graph. */
  resumeSaved(into: LoadRequest): Promise<LoadResult>;
  /** The bytes of the checkpoint kept for a document, for downloading. */
  savedCheckpoint(documentId: string): Promise<Uint8Array | undefined>;
  /** Once every checkpoint sent is written: the one kept for a document. */
  settled(documentId: string): Promise<SavedCheckpointInfo | undefined>;
}

/** Checkpoint events reach the page without their bytes, once they are kept. */
export const BrowserTrainingEvent = z.discriminatedUnion('type', [
  StepEvent,
  SamplesEvent,
  StateEvent,
  DatasetProgressEvent,
  QualityEvent,
  z.strictObject({ type: z.literal('checkpoint-saved'), info: SavedCheckpointInfo }),
  z.strictObject({ type: z.literal('checkpoint-failed'), step: Step, message: z.string() }),
]);
export type BrowserTrainingEvent = z.infer<typeof BrowserTrainingEvent>;
