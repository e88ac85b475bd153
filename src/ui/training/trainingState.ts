/**
 * What the training panel holds, as plain data: the worker's run (of one document), the
 * checkpoints kept for each document, and what the panel has to say. The store (trainingStore.ts)
 * changes it; the event reducer (trainingEvents.ts) and the selectors (trainingSelectors.ts) read
 * and derive it without side effects.
 */
import type { FolderLoadReport } from '../../runtime/data/folder';
import type { QualityReport } from '../../runtime/quality/qualityReport';
import type {
  BackendChoice,
  BackendInfo,
  DatasetFile,
  LoadResult,
  RunHistory,
  SampleImage,
  SavedCheckpointInfo,
  Translation,
} from '../../runtime/worker/protocol';
import type { TrainingSettings } from './settings';
import type { Throughput } from './throughput';

export type Phase =
  'idle' | 'starting' | 'loading' | 'running' | 'pausing' | 'paused' | 'stopped' | 'failed';

/** What the worker compiled: the document and revision it trains, its terms, optimizers, networks. */
export type LoadedProgram = Omit<Extract<LoadResult, { ok: true }>, 'ok' | 'step' | 'history'>;

/** The run the worker holds (or held, until a crash): one document's, at one program. */
export interface Run {
  program: LoadedProgram;
  /** Whether the worker still holds its trainer (not after a crash or a lost device). */
  ready: boolean;
  step: number;
  throughput: Throughput;
  memoryBytes: number | null;
  numTensors: number | null;
  learningRates: Record<string, number>;
  /** The losses so far, one segment per program trained (see HistorySegment). */
  history: RunHistory;
  samples: { step: number; images: SampleImage[] } | null;
  /** The run kept in the history of runs (src/ui/runs) that this one writes to. */
  recordId?: string;
  /** The samples of earlier steps of this run, oldest first, in memory (bounded): the slider's. */
  earlierSamples?: readonly { step: number; images: SampleImage[] }[];
  /** The quality measured on the held-out set so far, oldest first (none before the first). */
  quality?: QualityPoint[];
}

/** One quality measurement of a run. */
export interface QualityPoint {
  step: number;
  report: QualityReport;
}

export interface DatasetView {
  source: string;
  name: string;
  status: 'reading' | 'ready' | 'failed';
  progress?: { done: number; total: number };
  report?: FolderLoadReport;
  message?: string;
  summary?: string;
}

export interface TrainingNotice {
  text: string;
  tone: 'info' | 'error';
}

/** The worker crashed or lost its device: what happened, and the backend to go on with. */
export interface TrainingFailure {
  message: string;
  next: BackendChoice | null;
}

export interface TrainingActions {
  run(): Promise<void>;
  pause(): Promise<void>;
  step(): Promise<void>;
  /** Ends the run (its last state is kept as a checkpoint); Run then starts a new one. */
  stop(): Promise<void>;
  /** After an edit the trained weights do not fit: trains the edited graph from the start. */
  startOver(): Promise<void>;
  dismissRefusal(): void;
  /** Continues the current document from the checkpoint kept for it in this browser. */
  resumeSaved(): Promise<void>;
  openCheckpoint(file: File): Promise<void>;
  /** The current run's state, or the checkpoint kept for a document (the current one by default). */
  downloadCheckpoint(documentId?: string): Promise<void>;
  setBackend(choice: BackendChoice): Promise<void>;
  /** After a crash or device loss: the last checkpoint on the next backend, running again. */
  recover(): Promise<void>;
  setSettings(patch: Partial<TrainingSettings>): void;
  removeOverride(name: string): void;
  /** The first-run settings of a template file just opened (none for most templates). */
  applyFirstRun(templateFile: string | undefined): void;
  addDataset(name: string, files: DatasetFile[], nodeId?: string): Promise<void>;
  translate(networkId: string, image: Blob): Promise<void>;
  exportNetwork(networkId: string): Promise<void>;
  saveSamples(): Promise<void>;
  dismissNotice(): void;
}

export interface TrainingState {
  settings: TrainingSettings;
  /** The document being edited: the panel shows its run, or none (see trainingSelectors.ts). */
  documentId: string;
  /** What the worker is doing, whichever document its run is of. */
  phase: Phase;
  backend: BackendInfo | null;
  notice: TrainingNotice | null;
  failure: TrainingFailure | null;
  /** An edit the trained weights do not fit, waiting for Start over or Dismiss. */
  refusal: string | null;
  run: Run | null;
  /** The checkpoint kept in this browser for each document, by document id. */
  kept: Readonly<Record<string, SavedCheckpointInfo>>;
  datasets: DatasetView[];
  translation: Translation | null;
  /** What the worker is busy with, for the buttons that wait on it. */
  busy: string | null;
  actions: TrainingActions;
}

/** The panel before anything happened: no worker, no run, the datasets the settings remember. */
export function initialTrainingState(
  settings: TrainingSettings,
  documentId: string,
): Omit<TrainingState, 'actions'> {
  return {
    settings,
    documentId,
    phase: 'idle',
    backend: null,
    notice: null,
    failure: null,
    refusal: null,
    run: null,
    kept: {},
    datasets: settings.datasets.map((d) => ({ ...d, status: 'ready' as const })),
    translation: null,
    busy: null,
  };
}
