/**
 * What the run's buttons do: load the graph as edited (or carry the trained state over to an
 * edit), run, pause, step, stop, resume from a checkpoint, change backend, recover after a
 * crash. Each action returns when it is done; one that cannot go on says why and returns.
 */
import { transfer } from 'comlink';
import { withDocumentId } from '../../graph/document';
import type { Problem } from '../../graph/problems';
import { graphRevision } from '../../graph/revision';
import type { LoadRequest, LoadResult } from '../../runtime/worker/protocol';
import { continueHistory } from '../../runtime/worker/runHistory';
import { checkpointInWorker } from '../runs/runFilesInWorker';
import { downloadBlob, fileStemFor } from '../persistence';
import type { EditorStore } from '../store';
import { effectiveOverrides, type TrainingSettings } from './settings';
import { newRunId } from '../runs/runRecord';
import { NO_THROUGHPUT } from './throughput';
import { WorkerGone, type TrainingClient } from './trainingClient';
import { keptForDocument, shownRun, shownStep, trained } from './trainingSelectors';
import type { TrainingActions, TrainingNotice, TrainingState } from './trainingState';
import { errorText, type WorkerSupervisor } from './workerSupervisor';

/** What the actions work with: the state, the editor, the worker. */
export interface ActionContext {
  get(): TrainingState;
  set(patch: Partial<TrainingState>): void;
  editor: EditorStore;
  supervisor: WorkerSupervisor;
  /** The worker, started if need be; none when its backend cannot start (that is shown). */
  worker(): Promise<TrainingClient | undefined>;
  notify(text: string, tone?: TrainingNotice['tone']): void;
  setSettings(patch: Partial<TrainingSettings>): void;
  /** Applies the events waiting for the next batch now: a load must come after them. */
  flushEvents(): void;
}

/**
 * What the worker must do before the graph as edited can train: nothing (it holds that
 * program), carry the trained state over to the edit, or load it fresh.
 */
export function loadPlan(state: TrainingState, revision: string): 'ready' | 'continue' | 'load' {
  const run = shownRun(state);
  if (!run?.ready || state.phase === 'stopped') return 'load';
  if (run.program.revision === revision) return 'ready';
  return run.step > 0 ? 'continue' : 'load';
}

type RunActions = Pick<
  TrainingActions,
  | 'run'
  | 'pause'
  | 'step'
  | 'stop'
  | 'startOver'
  | 'resumeSaved'
  | 'openCheckpoint'
  | 'downloadCheckpoint'
  | 'setBackend'
  | 'recover'
>;

export function createRunActions(context: ActionContext): RunActions {
  const { get, set, editor, supervisor, notify, setSettings, worker } = context;

  const request = (): LoadRequest => {
    const document = withDocumentId(editor.getState().document);
    return {
      document,
      overrides: effectiveOverrides(document, get().settings.overrides),
      seed: get().settings.seed,
      memoryBudget: editor.getState().limits.memoryBytes,
    };
  };

  const install = (result: Extract<LoadResult, { ok: true }>, fresh: boolean) => {
    context.flushEvents();
    const { ok: _ok, step, history, ...program } = result;
    const before = get().run;
    const carried = !fresh && before !== null;
    set({
      run: {
        program,
        ready: true,
        step,
        history: continueHistory(history, program, step),
        throughput: NO_THROUGHPUT,
        memoryBytes: carried ? before.memoryBytes : null,
        numTensors: carried ? before.numTensors : null,
        learningRates: carried ? before.learningRates : {},
        samples: carried ? before.samples : null,
        recordId: (carried && before.recordId) || newRunId(),
      },
      refusal: null,
      failure: null,
    });
  };

  /** A refused checkpoint says why in the panel; a graph's problems open the report. */
  const showProblems = (title: string, problems: Problem[]) => {
    const refusal = problems.find((p) => p.code === 'checkpoint-refused');
    if (refusal) notify(`${title}: ${refusal.message}`, 'error');
    else editor.getState().actions.showReport({ title, problems });
  };

  /** A trainer for the graph as edited: loaded fresh, or the trained state carried over. */
  const loadEdited = async (client: TrainingClient): Promise<boolean> => {
    const r = request();
    const plan = loadPlan(get(), graphRevision(r.document, r.overrides ?? {}));
    if (plan === 'ready') return true;
    set({ phase: 'loading' });
    if (plan === 'continue') {
      const result = await client.api.continueWith(r);
      if (result.ok) {
        install(result, false);
        notify(`Continuing at step ${result.step} with the edited graph`);
        return true;
      }
      set({ phase: 'paused' });
      const refusal = result.problems.find((p) => p.code === 'checkpoint-refused');
      if (refusal) set({ refusal: refusal.message });
      else showProblems('The edited graph cannot train', result.problems);
      return false;
    }
    const result = await client.api.load(r);
    if (!result.ok) {
      set({ phase: 'idle' });
      showProblems('The graph cannot train yet', result.problems);
      return false;
    }
    install(result, true);
    return true;
  };

  const reportRunError = (e: unknown) => {
    // A dead worker has its own message (the failure note).
    if (!(e instanceof WorkerGone)) notify(errorText(e), 'error');
  };

  const runOptions = () => {
    const { samplesEvery, checkpointEvery, qualityEvery, target } = get().settings;
    return { samplesEvery, checkpointEvery, qualityEvery, ...(target ? { until: target } : {}) };
  };

  const startRun = async () => {
    set({ notice: null });
    const client = await worker();
    if (!client || !(await loadEdited(client))) return;
    const { target } = get().settings;
    const step = shownStep(get());
    if (target !== null && step >= target) {
      set({ phase: 'paused' });
      notify(`Step ${step} reached the target of ${target}: raise it to train on`);
      return;
    }
    // Not awaited: the run goes on until paused, and events tell how it goes.
    void client.api.run(runOptions()).catch(reportRunError);
  };

  const resumeFrom = async (load: () => Promise<LoadResult>, what: string): Promise<boolean> => {
    set({ phase: 'loading' });
    const result = await load();
    if (!result.ok) {
      set({ phase: get().run?.ready ? 'paused' : 'idle' });
      showProblems(`${what} was refused`, result.problems);
      return false;
    }
    install(result, true);
    set({ phase: 'paused' });
    notify(`Resumed from step ${result.step} (${what})`);
    return true;
  };

  const openDock = () => {
    if (!get().settings.dockOpen) setSettings({ dockOpen: true });
  };

  return {
    run: () =>
      supervisor.serial('run', async () => {
        openDock();
        await startRun();
      }),
    pause: () =>
      supervisor.serial('pause', async () => {
        const client = supervisor.current();
        if (!client || get().phase !== 'running') return;
        set({ phase: 'pausing' });
        await client.api.pause();
      }),
    step: () =>
      supervisor.serial('step', async () => {
        openDock();
        set({ notice: null });
        const client = await worker();
        if (!client || !(await loadEdited(client))) return;
        const { samplesEvery, checkpointEvery, qualityEvery, stepCount } = get().settings;
        void client.api
          .step(stepCount, {
            samplesEvery: Math.min(samplesEvery, stepCount),
            checkpointEvery,
            qualityEvery,
          })
          .catch(reportRunError);
      }),
    stop: () =>
      supervisor.serial('stop', async () => {
        const client = supervisor.current();
        if (!client || !shownRun(get())?.ready) return;
        await client.api.pause();
        await client.api.stop();
        notify(
          `Stopped at step ${shownStep(get())}; its state is kept as a checkpoint. Run starts a new training.`,
        );
      }),
    startOver: () =>
      supervisor.serial('run', async () => {
        set({ refusal: null, phase: 'stopped' });
        await startRun();
      }),
    resumeSaved: () =>
      supervisor.serial('resume', async () => {
        const client = await worker();
        if (!client) return;
        await resumeFrom(
          () => client.api.resumeSaved(request()),
          'the checkpoint kept in this browser',
        );
      }),
    openCheckpoint: (file) =>
      supervisor.serial('resume', async () => {
        const client = await worker();
        if (!client) return;
        const read = await checkpointInWorker(file).catch((e: unknown) => ({
          ok: false as const,
          message: (e as Error).message,
        }));
        if (!read.ok) {
          notify(`${file.name}: ${read.message}`, 'error');
          return;
        }
        const { bytes } = read;
        await resumeFrom(
          () => client.api.resume(transfer(bytes, [bytes.buffer]), request()),
          file.name,
        );
      }),
    downloadCheckpoint: (documentId = get().documentId) =>
      supervisor.serial('checkpoint', async () => {
        const client = await worker();
        if (!client) return;
        const current = documentId === get().documentId && trained(get());
        const kept = get().kept[documentId];
        const bytes = current
          ? await client.api.checkpoint()
          : await client.api.savedCheckpoint(documentId);
        if (!bytes) {
          notify('There is no checkpoint yet: train a few steps first', 'error');
          return;
        }
        const doc = editor.getState().document;
        // Another document's checkpoint is named after the graph it trained.
        const stem = fileStemFor(current || !kept ? doc : { ...doc, name: kept.graphName });
        const step = current ? shownStep(get()) : kept?.step;
        downloadBlob(
          new Blob([bytes as BlobPart], { type: 'application/octet-stream' }),
          `${stem}-step${step}.ganvas-checkpoint.safetensors`,
        );
      }),
    setBackend: (choice) =>
      supervisor.serial('backend', async () => {
        setSettings({ backend: choice });
        if (!supervisor.current()) {
          // After a crash, another backend is a way on (Run, or resume a checkpoint).
          if (get().phase === 'failed') set({ phase: 'idle', failure: null });
          return;
        }
        const { documentId } = get();
        const wasTrained = trained(get());
        const kept = await supervisor.end(documentId);
        const run = get().run;
        set({
          run: run && { ...run, ready: false },
          backend: null,
          ...(kept ? { kept: { ...get().kept, [documentId]: kept } } : {}),
        });
        const client = await worker();
        if (client && wasTrained) {
          await resumeFrom(() => client.api.resumeSaved(request()), 'the last checkpoint');
        }
      }),
    recover: () =>
      supervisor.serial('recover', async () => {
        const next = get().failure?.next;
        if (!next) return;
        setSettings({ backend: next });
        supervisor.drop();
        const client = await worker();
        if (!client) return;
        if (keptForDocument(get())) {
          const resumed = await resumeFrom(
            () => client.api.resumeSaved(request()),
            'the last checkpoint',
          );
          if (!resumed) return;
        }
        await startRun();
      }),
  };
}
