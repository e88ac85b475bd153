/**
 * What the page and the training worker say to each other. Types only: the page imports this
 * file and never loads tfjs; the worker implements TrainingApi behind comlink.
 */
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import type { Problem } from '../../graph/problems';

export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'cpu';

export interface BackendInfo {
  requested: BackendChoice;
  backend: string;
  /** Why a faster backend was not used. */
  reason?: string;
  adapter?: string;
}

export interface SampleImage {
  /** The Preview node's id, and what to call it. */
  id: string;
  label: string;
  width: number;
  height: number;
  /** The first image of the batch as RGBA bytes. */
  rgba: Uint8ClampedArray;
}

export type RunState = 'idle' | 'running' | 'paused' | 'stopped';

export type TrainingEvent =
  | {
      type: 'step';
      step: number;
      losses: Record<string, number>;
      stepMs: number;
      /** Bytes held by tfjs (on the GPU for webgpu and webgl). */
      memoryBytes: number;
      numTensors: number;
    }
  | { type: 'samples'; step: number; samples: SampleImage[] }
  | { type: 'state'; state: RunState; step: number; reason?: string }
  | { type: 'checkpoint'; step: number; bytes: Uint8Array }
  | { type: 'error'; message: string };

export type LoadResult =
  | { ok: true; losses: string[]; previews: string[]; step: number }
  | { ok: false; problems: Problem[] };

export interface LoadRequest {
  document: GraphDocument;
  overrides?: Record<string, VariableValue>;
  seed?: number;
}

export interface RunOptions {
  /** Stop (pause) after this many steps in all; unbounded when absent. */
  until?: number;
  /** Send samples every this many steps. */
  samplesEvery?: number;
  /** Send a checkpoint every this many steps (and on pause). */
  checkpointEvery?: number;
}

export interface TrainingApi {
  selectBackend(choice: BackendChoice): Promise<BackendInfo>;
  /** Compiles a graph and makes a fresh trainer; a graph with errors comes back as problems. */
  load(request: LoadRequest): Promise<LoadResult>;
  /** Continues from a checkpoint file (the graph comes with it). */
  resume(bytes: Uint8Array): Promise<LoadResult>;
  /** Trains until paused, stopped or `until`; resolves then. Events report progress. */
  run(options?: RunOptions): Promise<void>;
  pause(): Promise<void>;
  stop(): Promise<void>;
  /** Exactly `count` steps, then paused. */
  step(count: number): Promise<void>;
  checkpoint(): Promise<Uint8Array>;
  samples(): Promise<SampleImage[]>;
  subscribe(listener: (event: TrainingEvent) => void): Promise<void>;
}
