/**
 * How a run is set up, apart from the graph: the backend, the seed, how often samples and
 * checkpoints come, where to stop, and graph-variable overrides.
 * Kept in localStorage, so a reload resumes with the same settings.
 */
import { z } from 'zod';
import {
  DEFAULT_DEVICE_LIMITS,
  DEFAULT_MEMORY_BUDGET,
  GiB,
  type DeviceLimits,
} from '../../graph/budget';
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import type { BackendInfo } from '../../runtime/worker/protocol';

export const TRAINING_SETTINGS_KEY = 'ganvas.training';

const Value = z.union([z.number(), z.string(), z.boolean()]);

export const TrainingSettings = z.object({
  backend: z.enum(['auto', 'webgpu', 'webgl', 'cpu']).default('auto'),
  seed: z.number().int().min(0).default(0),
  samplesEvery: z.number().int().min(1).default(10),
  checkpointEvery: z.number().int().min(1).default(100),
  /** Steps between quality measurements on the held-out set (see runtime/quality). */
  qualityEvery: z.number().int().min(1).default(50),
  /** Pause when the run reaches this step; null: run until paused. */
  target: z.number().int().min(1).nullable().default(null),
  /** Steps the Step button takes. */
  stepCount: z.number().int().min(1).default(1),
  /** EMA factor of the loss curves, 0 (raw) to 0.99. */
  smoothing: z.number().min(0).max(0.99).default(0.8),
  /** Graph variables the run sets over the document's values. */
  overrides: z.record(z.string(), Value).default({}),
  dockOpen: z.boolean().default(false),
  /** The open dock's height in pixels, as its handle was last dragged; null: the default. */
  dockHeight: z.number().min(0).max(4096).nullable().default(null),
  /** How shapes are written: the graph's own N×H×W×C, or PyTorch's N×C×H×W (display only). */
  shapeOrder: z.enum(['NHWC', 'NCHW']).default('NHWC'),
  /** Memory a training step may hold, in GiB: graphs that need more are refused before Run. */
  memoryBudgetGiB: z
    .number()
    .positive()
    .max(1024)
    .default(DEFAULT_MEMORY_BUDGET / GiB),
  /** Datasets brought in, as the Data tab lists them (their files are kept in IndexedDB). */
  datasets: z
    .array(
      z.object({
        source: z.string(),
        name: z.string(),
        summary: z.string(),
      }),
    )
    .default([]),
});
export type TrainingSettings = z.infer<typeof TrainingSettings>;

export function defaultSettings(): TrainingSettings {
  return TrainingSettings.parse({});
}

export function loadSettings(storage: Storage): TrainingSettings {
  try {
    const parsed = TrainingSettings.safeParse(
      JSON.parse(storage.getItem(TRAINING_SETTINGS_KEY) ?? '{}'),
    );
    return parsed.success ? parsed.data : defaultSettings();
  } catch {
    return defaultSettings();
  }
}

export function saveSettings(storage: Storage, settings: TrainingSettings): void {
  try {
    storage.setItem(TRAINING_SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // A full storage loses the settings, never the training.
  }
}

/** The overrides that apply to a document: those naming one of its variables, of its type. */
export function effectiveOverrides(
  doc: GraphDocument,
  overrides: Readonly<Record<string, VariableValue>>,
): Record<string, VariableValue> {
  return Object.fromEntries(
    Object.entries(overrides).filter(
      ([name, value]) => typeof doc.variables[name]?.value === typeof value,
    ),
  );
}

/**
 * What graphs are checked against: the user's memory budget and, once a WebGPU device runs, its
 * buffer limits (the defaults are WebGPU's minimums until then).
 */
export function deviceLimits(
  settings: TrainingSettings,
  backend: BackendInfo | null,
): DeviceLimits {
  return {
    ...DEFAULT_DEVICE_LIMITS,
    ...backend?.bufferLimits,
    memoryBytes: settings.memoryBudgetGiB * GiB,
  };
}
