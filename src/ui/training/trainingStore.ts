/**
 * The training panel's state and what its buttons do. The worker trains; this store holds what
 * the page shows of it (phase, step, speed, loss history, samples, checkpoints, datasets) and
 * turns clicks into worker calls, one after the other. Kept apart from the editor's store: the
 * document stays plain, and training never becomes an undo step.
 *
 * Events arrive as often as steps complete; they are applied in batches at most ten times a
 * second, so that a fast GPU never floods the page's thread with renders.
 */
import { transfer } from 'comlink';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { checkDocument } from '../../graph/check';
import type { GraphDocument } from '../../graph/document';
import { setParam } from '../../graph/edits';
import type { VariableValue } from '../../graph/expression';
import type { Problem } from '../../graph/problems';
import type { FolderLoadReport } from '../../runtime/data/folder';
import { keptCheckpointInfo } from '../../runtime/worker/checkpointStore';
import type {
  BackendChoice,
  BackendInfo,
  BrowserTrainingEvent,
  DatasetFile,
  LoadRequest,
  LoadResult,
  LossRecord,
  SampleImage,
  SavedCheckpointInfo,
  Translation,
} from '../../runtime/worker/protocol';
import { downloadBlob, fileStemFor } from '../persistence';
import type { EditorStore } from '../store';
import { documentAsTrained, samplesPng } from './samples';
import {
  effectiveOverrides,
  FIRST_RUN,
  saveSettings,
  trainingKey,
  type TrainingSettings,
} from './settings';
import { startTrainingClient, WorkerGone, type TrainingClient } from './trainingClient';

export type Phase =
  'idle' | 'starting' | 'loading' | 'running' | 'pausing' | 'paused' | 'stopped' | 'failed';

export type LoadedProgram = Omit<Extract<LoadResult, { ok: true }>, 'ok' | 'step' | 'history'> & {
  /** The trainingKey of what was loaded, and the editor's `opened` count then. */
  key: string;
  opened: number;
};

/** Every step's losses, by loss node id; appended to in place (see `historyVersion`). */
export interface LossHistory {
  steps: number[];
  values: Map<string, number[]>;
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

export interface TrainingActions {
  run(): Promise<void>;
  pause(): Promise<void>;
  step(): Promise<void>;
  /** Ends the run (its last state is kept as a checkpoint); Run then starts a new one. */
  stop(): Promise<void>;
  /** After an edit the trained weights do not fit: trains the edited graph from the start. */
  startOver(): Promise<void>;
  dismissRefusal(): void;
  resumeSaved(): Promise<void>;
  openCheckpoint(file: File): Promise<void>;
  downloadCheckpoint(): Promise<void>;
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
  phase: Phase;
  backend: BackendInfo | null;
  notice: TrainingNotice | null;
  /** The worker crashed or lost its device: what happened, and the backend to go on with. */
  failure: { message: string; next: BackendChoice | null } | null;
  /** An edit the trained weights do not fit, waiting for Start over or Cancel. */
  refusal: string | null;
  /** What was last loaded (kept for the charts after a crash). */
  program: LoadedProgram | null;
  /** Whether the worker holds a trainer for `program`. */
  ready: boolean;
  step: number;
  stepsPerSecond: number | null;
  memoryBytes: number | null;
  numTensors: number | null;
  learningRates: Record<string, number>;
  history: LossHistory;
  historyVersion: number;
  samples: { step: number; images: SampleImage[] } | null;
  saved: SavedCheckpointInfo | null;
  datasets: DatasetView[];
  translation: Translation | null;
  /** What the worker is busy with, for the buttons that wait on it. */
  busy: string | null;
  actions: TrainingActions;
}

export type TrainingStore = StoreApi<TrainingState>;

const BACKEND_ORDER: BackendChoice[] = ['webgpu', 'webgl', 'cpu'];

/** The backend to fall back to after `backend` failed. */
export function nextBackend(backend: string | undefined): BackendChoice | null {
  const at = BACKEND_ORDER.indexOf(backend as BackendChoice);
  return at < 0 ? 'cpu' : (BACKEND_ORDER[at + 1] ?? null);
}

export const BACKEND_NAMES: Record<string, string> = {
  auto: 'Automatic',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  cpu: 'CPU',
};

function emptyHistory(): LossHistory {
  return { steps: [], values: new Map() };
}

function appendHistory(history: LossHistory, records: readonly LossRecord[]): void {
  for (const { step, losses } of records) {
    const at = history.steps.length;
    history.steps.push(step);
    for (const [name, value] of Object.entries(losses)) {
      let series = history.values.get(name);
      if (!series) history.values.set(name, (series = []));
      // A term that appears late (a graph edited mid-run) starts with gaps.
      while (series.length < at) series.push(Number.NaN);
      series.push(value);
    }
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function countText(report: FolderLoadReport): string {
  const { trainA, trainB, testA, testB } = report.loaded;
  const skipped = report.skipped.length;
  return (
    `trainA ${trainA}, trainB ${trainB}, testA ${testA}, testB ${testB}` +
    (skipped ? `; ${skipped} file${skipped === 1 ? '' : 's'} skipped` : '')
  );
}

/** A thrown marker that ends an action whose reason is already shown. */
class Shown extends Error {}

export function createTrainingStore(
  editor: EditorStore,
  initial: TrainingSettings,
  storage: Storage,
): TrainingStore {
  let client: TrainingClient | undefined;
  let queue: Promise<void> = Promise.resolve();
  let pending: BrowserTrainingEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let arrivals: [number, number][] = [];

  const store = createStore<TrainingState>()((set, get) => {
    const notify = (text: string, tone: TrainingNotice['tone'] = 'info') =>
      set({ notice: { text, tone } });

    const setSettings = (patch: Partial<TrainingSettings>) => {
      const settings = { ...get().settings, ...patch };
      set({ settings });
      saveSettings(storage, settings);
    };

    /** Runs actions one after the other; a failure is shown, never thrown at a click. */
    const serial = (name: string, action: () => Promise<void>): Promise<void> => {
      const next = queue.then(async () => {
        set({ busy: name });
        try {
          await action();
        } catch (e) {
          // A dead worker has its own message (the failure note).
          if (!(e instanceof Shown) && !(e instanceof WorkerGone)) notify(errorText(e), 'error');
        } finally {
          set({ busy: null });
        }
      });
      queue = next;
      return next;
    };

    const request = (): LoadRequest => {
      const document = editor.getState().document;
      return {
        document,
        overrides: effectiveOverrides(document, get().settings.overrides),
        seed: get().settings.seed,
      };
    };

    const keyOf = (r: LoadRequest) => trainingKey(r.document, r.overrides ?? {});

    const crashed = (message: string) => {
      client = undefined;
      set({
        phase: 'failed',
        ready: false,
        notice: null,
        failure: { message, next: nextBackend(get().backend?.backend) },
      });
    };

    const applyEvents = () => {
      flushTimer = undefined;
      const events = pending;
      pending = [];
      if (events.length === 0) return;
      const state = get();
      const patch: Partial<TrainingState> = {};
      const steps: LossRecord[] = [];
      let datasets = state.datasets;
      for (const e of events) {
        switch (e.type) {
          case 'step':
            steps.push({ step: e.step, losses: e.losses });
            Object.assign(patch, {
              step: e.step,
              memoryBytes: e.memoryBytes,
              numTensors: e.numTensors,
              learningRates: e.learningRates,
            });
            break;
          case 'samples':
            patch.samples = { step: e.step, images: e.samples };
            break;
          case 'state':
            patch.step = e.step;
            if (e.state === 'running') patch.phase = 'running';
            else if (e.state === 'paused') {
              patch.phase = 'paused';
              // Reaching the target shows in the step count; anything else is news.
              if (e.reason && !/^reached step \d+$/.test(e.reason)) {
                const guard = /^loss ".*" became /.test(e.reason);
                patch.notice = { text: `Paused: ${e.reason}`, tone: guard ? 'error' : 'info' };
              }
            } else if (e.state === 'stopped') {
              if (e.reason) {
                // The device is gone (the only reason a stop comes with): so is the trainer.
                client?.terminate();
                client = undefined;
                patch.phase = 'failed';
                patch.ready = false;
                patch.failure = { message: e.reason, next: nextBackend(state.backend?.backend) };
              } else {
                patch.phase = 'stopped';
              }
            } else patch.phase = 'idle';
            break;
          case 'checkpoint-saved':
            patch.saved = e.info;
            break;
          case 'checkpoint-failed':
            patch.notice = { text: e.message, tone: 'error' };
            break;
          case 'error':
            patch.notice = { text: e.message, tone: 'error' };
            break;
          case 'dataset-progress':
            datasets = datasets.map((d) =>
              d.source === e.source ? { ...d, progress: { done: e.done, total: e.total } } : d,
            );
            patch.datasets = datasets;
            break;
        }
      }
      if (steps.length > 0) {
        appendHistory(state.history, steps);
        patch.historyVersion = state.historyVersion + 1;
        const now = performance.now();
        arrivals.push([now, steps.at(-1)!.step]);
        arrivals = arrivals.filter(([t]) => now - t < 15_000).slice(-30);
        const [t0, s0] = arrivals[0]!;
        patch.stepsPerSecond =
          arrivals.length > 1 && now > t0 ? ((steps.at(-1)!.step - s0) * 1000) / (now - t0) : null;
      }
      set(patch);
    };

    const onEvent = (event: BrowserTrainingEvent) => {
      pending.push(event);
      // A change of state shows at once; progress waits for the next batch.
      if (event.type === 'state' || event.type === 'checkpoint-saved') {
        if (flushTimer) clearTimeout(flushTimer);
        applyEvents();
      } else flushTimer ??= setTimeout(applyEvents, 100);
    };

    const ensureClient = async (): Promise<TrainingClient> => {
      if (client) return client;
      set({ phase: 'starting', failure: null });
      try {
        client = await startTrainingClient(get().settings.backend, {
          onEvent,
          onCrash: crashed,
        });
      } catch (e) {
        set({ phase: 'idle' });
        notify(
          `${BACKEND_NAMES[get().settings.backend]} cannot start: ${errorText(e)}. Choose another backend.`,
          'error',
        );
        throw new Shown();
      }
      set({ backend: client.backend, phase: get().ready ? get().phase : 'idle' });
      return client;
    };

    const applyLoad = (result: Extract<LoadResult, { ok: true }>, key: string, fresh: boolean) => {
      const { ok: _ok, step, history: records, ...program } = result;
      const history = fresh ? emptyHistory() : get().history;
      if (fresh) appendHistory(history, records);
      arrivals = [];
      set({
        program: { ...program, key, opened: editor.getState().opened },
        ready: true,
        step,
        history,
        historyVersion: get().historyVersion + 1,
        stepsPerSecond: null,
        refusal: null,
        failure: null,
        ...(fresh ? { samples: null, learningRates: {} } : {}),
      });
    };

    const showProblems = (title: string, problems: Problem[]) => {
      const refusal = problems.find((p) => p.path === 'checkpoint');
      if (refusal) notify(`${title}: ${refusal.message}`, 'error');
      else editor.getState().actions.showReport({ title, problems });
      throw new Shown();
    };

    /** A trainer for the graph as edited: loaded fresh, or the trained state carried over. */
    const ensureLoaded = async (): Promise<boolean> => {
      const { api } = await ensureClient();
      const r = request();
      const key = keyOf(r);
      const { program, ready, phase, step } = get();
      const sameGraph = ready && program !== null && program.opened === editor.getState().opened;
      if (ready && program?.key === key && phase !== 'stopped') return true;
      if (sameGraph && step > 0 && phase !== 'stopped') {
        set({ phase: 'loading' });
        const result = await api.continueWith(r);
        if (!result.ok) {
          set({ phase: 'paused' });
          const refusal = result.problems.find((p) => p.path === 'checkpoint');
          if (refusal) {
            set({ refusal: refusal.message });
            return false;
          }
          showProblems('The edited graph cannot train', result.problems);
        } else {
          applyLoad(result, key, false);
          notify(`Continuing at step ${result.step} with the edited graph`);
        }
        return true;
      }
      set({ phase: 'loading' });
      const result = await api.load(r);
      if (!result.ok) {
        set({ phase: 'idle' });
        showProblems('The graph cannot train yet', result.problems);
        return false;
      }
      applyLoad(result, key, true);
      return true;
    };

    const reportRunError = (e: unknown) => {
      if (!(e instanceof WorkerGone)) notify(errorText(e), 'error');
    };

    const runOptions = () => {
      const { samplesEvery, checkpointEvery, target } = get().settings;
      return { samplesEvery, checkpointEvery, ...(target ? { until: target } : {}) };
    };

    const startRun = async () => {
      set({ notice: null });
      if (!(await ensureLoaded())) return;
      const { target } = get().settings;
      if (target !== null && get().step >= target) {
        set({ phase: 'paused' });
        notify(`Step ${get().step} reached the target of ${target}: raise it to train on`);
        return;
      }
      // Not awaited: the run goes on until paused, and events tell how it goes.
      void client!.api.run(runOptions()).catch(reportRunError);
    };

    const resumeFrom = async (load: () => Promise<LoadResult>, what: string) => {
      set({ phase: 'loading' });
      const r = request();
      const result = await load();
      if (!result.ok) {
        set({ phase: get().ready ? 'paused' : 'idle' });
        showProblems(`${what} was refused`, result.problems);
        return;
      }
      applyLoad(result, keyOf(r), true);
      set({ phase: 'paused' });
      notify(`Resumed from step ${result.step} (${what})`);
    };

    /** Ends the worker after its checkpoints are written, and starts one on the chosen backend. */
    const restart = async (): Promise<void> => {
      const old = client;
      client = undefined;
      if (old) {
        await old.api.pause().catch(() => undefined);
        const saved = await old.api.settled().catch(() => undefined);
        if (saved) set({ saved });
        old.terminate();
      }
      set({ ready: false, backend: null });
      await ensureClient();
    };

    const actions: TrainingActions = {
      run: () =>
        serial('run', async () => {
          if (!get().settings.dockOpen) setSettings({ dockOpen: true });
          await startRun();
        }),
      pause: () =>
        serial('pause', async () => {
          if (!client || get().phase !== 'running') return;
          set({ phase: 'pausing' });
          await client.api.pause();
        }),
      step: () =>
        serial('step', async () => {
          if (!get().settings.dockOpen) setSettings({ dockOpen: true });
          set({ notice: null });
          if (!(await ensureLoaded())) return;
          const { samplesEvery, checkpointEvery, stepCount } = get().settings;
          void client!.api
            .step(stepCount, { samplesEvery: Math.min(samplesEvery, stepCount), checkpointEvery })
            .catch(reportRunError);
        }),
      stop: () =>
        serial('stop', async () => {
          if (!client || !get().ready) return;
          await client.api.pause();
          await client.api.stop();
          notify(
            `Stopped at step ${get().step}; its state is kept as a checkpoint. Run starts a new training.`,
          );
        }),
      startOver: () =>
        serial('run', async () => {
          set({ refusal: null, phase: 'stopped' });
          await startRun();
        }),
      dismissRefusal: () => set({ refusal: null }),
      resumeSaved: () =>
        serial('resume', async () => {
          const { api } = await ensureClient();
          await resumeFrom(() => api.resumeSaved(request()), 'the checkpoint kept in this browser');
        }),
      openCheckpoint: (file) =>
        serial('resume', async () => {
          const { api } = await ensureClient();
          const bytes = new Uint8Array(await file.arrayBuffer());
          await resumeFrom(() => api.resume(transfer(bytes, [bytes.buffer]), request()), file.name);
        }),
      downloadCheckpoint: () =>
        serial('checkpoint', async () => {
          const { api } = await ensureClient();
          const doc = editor.getState().document;
          const trained = get().ready && get().step > 0;
          const bytes = trained ? await api.checkpoint() : await api.savedCheckpoint();
          if (!bytes) {
            notify('There is no checkpoint yet: train a few steps first', 'error');
            return;
          }
          const step = trained ? get().step : get().saved?.step;
          downloadBlob(
            new Blob([bytes as BlobPart], { type: 'application/octet-stream' }),
            `${fileStemFor(doc)}-step${step}.ganvas-checkpoint.safetensors`,
          );
        }),
      setBackend: (choice) =>
        serial('backend', async () => {
          setSettings({ backend: choice });
          if (!client) {
            // After a crash, another backend is a way on (Run, or resume a checkpoint).
            if (get().phase === 'failed') set({ phase: 'idle', failure: null });
            return;
          }
          const trained = get().ready && get().step > 0;
          await restart();
          if (trained) {
            const { api } = client!;
            await resumeFrom(() => api.resumeSaved(request()), 'the last checkpoint');
          }
        }),
      recover: () =>
        serial('recover', async () => {
          const next = get().failure?.next;
          if (!next) return;
          setSettings({ backend: next });
          client?.terminate();
          client = undefined;
          const { api } = await ensureClient();
          if (get().saved) {
            await resumeFrom(() => api.resumeSaved(request()), 'the last checkpoint');
          }
          await startRun();
        }),
      setSettings,
      removeOverride: (name) => {
        const { [name]: _gone, ...overrides } = get().settings.overrides;
        setSettings({
          overrides,
          overridesOrigin:
            Object.keys(overrides).length > 0 ? get().settings.overridesOrigin : null,
        });
      },
      applyFirstRun: (file) => {
        const values = file ? FIRST_RUN[file] : undefined;
        setSettings(
          values
            ? { overrides: { ...values }, overridesOrigin: 'first-run' }
            : { overrides: {}, overridesOrigin: null },
        );
      },
      addDataset: (name, files, nodeId) =>
        serial('dataset', async () => {
          const doc = editor.getState().document;
          const overrides = effectiveOverrides(doc, get().settings.overrides);
          const selected = editor.getState().selection.nodes[0];
          const target =
            doc.nodes.find((n) => n.id === nodeId) ??
            doc.nodes.find((n) => n.id === selected && n.kind === 'Dataset') ??
            doc.nodes.find((n) => n.kind === 'Dataset');
          if (!target) {
            notify('This graph has no Dataset node to train on a folder: add one first', 'error');
            return;
          }
          const resolved = checkDocument(doc, overrides).graph?.nodes.find(
            (n) => n.id === target.id,
          );
          const loadSize = (resolved?.params.loadSize ?? resolved?.params.size) as
            number | undefined;
          if (typeof loadSize !== 'number') {
            notify(`${target.id}: its size has a problem; fix it first`, 'error');
            return;
          }
          const source = `folder:${name}`;
          const view: DatasetView = { source, name, status: 'reading' };
          set({ datasets: [...get().datasets.filter((d) => d.source !== source), view] });
          const { api } = await ensureClient();
          const result = await api.addDataset(source, name, files, loadSize);
          const update = (patch: Partial<DatasetView>) =>
            set({
              datasets: get().datasets.map((d) => (d.source === source ? { ...d, ...patch } : d)),
            });
          if (!result.ok) {
            update({
              status: 'failed',
              message: result.message,
              ...(result.report ? { report: result.report } : {}),
            });
            notify(result.message, 'error');
            return;
          }
          const summary = countText(result.report);
          update({ status: 'ready', report: result.report, summary });
          setSettings({
            datasets: [
              ...get().settings.datasets.filter((d) => d.source !== source),
              { source, name, summary },
            ],
          });
          if (target.params?.source !== source) {
            editor
              .getState()
              .actions.applyToDocument((d: GraphDocument) =>
                setParam(d, target.id, 'source', source),
              );
          }
          notify(`${target.label ?? target.id} now trains on ${name}: ${summary}`);
        }),
      translate: (networkId, image) =>
        serial('translate', async () => {
          if (!client || !get().ready) {
            notify('Train or resume first: the generators have no trained weights yet', 'error');
            return;
          }
          set({ translation: await client.api.translate(networkId, image) });
        }),
      exportNetwork: (networkId) =>
        serial('export', async () => {
          if (!client || !get().ready) {
            notify('Train or resume first: the generators have no trained weights yet', 'error');
            return;
          }
          const exported = await client.api.exportNetwork(networkId);
          downloadBlob(
            new Blob([exported.zip as BlobPart], { type: 'application/zip' }),
            `${networkId}.tfjs.zip`,
          );
          notify(
            `Exported ${networkId} at step ${get().step}: model.json and weights.bin, for tf.loadGraphModel`,
          );
        }),
      saveSamples: () =>
        serial('samples', async () => {
          const samples = get().samples;
          if (!samples) return;
          const doc = documentAsTrained(editor.getState().document, request().overrides ?? {});
          downloadBlob(
            await samplesPng(samples.images, doc),
            `${fileStemFor(doc)}-step${samples.step}.png`,
          );
        }),
      dismissNotice: () => set({ notice: null }),
    };

    return {
      settings: initial,
      phase: 'idle',
      backend: null,
      notice: null,
      failure: null,
      refusal: null,
      program: null,
      ready: false,
      step: 0,
      stepsPerSecond: null,
      memoryBytes: null,
      numTensors: null,
      learningRates: {},
      history: emptyHistory(),
      historyVersion: 0,
      samples: null,
      saved: null,
      datasets: initial.datasets.map((d) => ({ ...d, status: 'ready' as const })),
      translation: null,
      busy: null,
      actions,
    };
  });

  editor.subscribe((state, previous) => {
    // Another graph: the overrides were for the one before (a template sets its own after).
    if (state.opened !== previous.opened) {
      store.getState().actions.applyFirstRun(undefined);
      return;
    }
    // Setting a variable the run overrides means it: the override goes.
    if (state.document.variables === previous.document.variables) return;
    const { overrides } = store.getState().settings;
    for (const name of Object.keys(overrides)) {
      if (state.document.variables[name] !== previous.document.variables[name]) {
        store.getState().actions.removeOverride(name);
      }
    }
  });
  void keptCheckpointInfo().then(
    (saved) => saved && !store.getState().saved && store.setState({ saved }),
    () => undefined,
  );
  return store;
}

/** A variable's value as the run uses it, and whether an override set it. */
export function runValue(
  doc: GraphDocument,
  settings: TrainingSettings,
  name: string,
): { value: VariableValue | undefined; overridden: boolean } {
  const overrides = effectiveOverrides(doc, settings.overrides);
  return name in overrides
    ? { value: overrides[name], overridden: true }
    : { value: doc.variables[name]?.value, overridden: false };
}
