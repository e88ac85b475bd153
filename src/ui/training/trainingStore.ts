/**
 * The training panel's store: it wires the worker (workerSupervisor.ts), the event reducer
 * (trainingEvents.ts) and the actions (runActions.ts, resultActions.ts) to the state
 * (trainingState.ts), and follows the editor to the document being edited. Kept apart from the
 * editor's store: the document stays plain, and training never becomes an undo step.
 *
 * Events arrive as often as steps complete; they are applied in batches at most ten times a
 * second, so that a fast GPU never floods the page's thread with renders.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import { keptCheckpointInfos } from '../../runtime/worker/checkpointStore';
import type { BrowserTrainingEvent } from '../../runtime/worker/protocol';
import { QUICK_STARTS, withQuickStart } from '../quickStart';
import type { EditorStore } from '../store';
import { BACKEND_NAMES } from './format';
import { createResultActions } from './resultActions';
import { createRunActions, type ActionContext } from './runActions';
import { deviceLimits, effectiveOverrides, saveSettings, type TrainingSettings } from './settings';
import { applyTrainingEvents, nextBackend } from './trainingEvents';
import { initialTrainingState, type TrainingState } from './trainingState';
import { WorkerGone } from './trainingClient';
import { hasUnkeptSteps } from './trainingSelectors';
import { createWorkerSupervisor, errorText, type WorkerSupervisor } from './workerSupervisor';

export type TrainingStore = StoreApi<TrainingState>;

/** How long progress waits to be shown with the events after it. */
const BATCH_MS = 100;

export function createTrainingStore(
  editor: EditorStore,
  initial: TrainingSettings,
  storage: Storage,
): TrainingStore {
  let pending: BrowserTrainingEvent[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  const store = createStore<TrainingState>()((set, get) => {
    const notify = (text: string, tone: 'info' | 'error' = 'info') =>
      set({ notice: { text, tone } });

    const setSettings = (patch: Partial<TrainingSettings>) => {
      const settings = { ...get().settings, ...patch };
      set({ settings });
      saveSettings(storage, settings);
    };

    const flushEvents = () => {
      if (flushTimer !== undefined) clearTimeout(flushTimer);
      flushTimer = undefined;
      if (pending.length === 0) return;
      const events = pending;
      pending = [];
      const before = get();
      const after = applyTrainingEvents(before, events, performance.now());
      // The device is gone, and the trainer with it: so is the worker.
      if (before.run?.ready && after.run && !after.run.ready) supervisor.drop();
      set(after);
    };

    const supervisor = createWorkerSupervisor({
      onEvent(event) {
        pending.push(event);
        // A change of state shows at once; progress waits for the next batch.
        if (event.type === 'state' || event.type === 'checkpoint-saved') flushEvents();
        else flushTimer ??= setTimeout(flushEvents, BATCH_MS);
      },
      onCrash(message) {
        flushEvents();
        const { run, backend } = get();
        set({
          phase: 'failed',
          run: run && { ...run, ready: false },
          notice: null,
          failure: { message, next: nextBackend(backend?.backend) },
        });
      },
      onBusy: (busy) => set({ busy }),
      onError: (message) => notify(message, 'error'),
    });

    const context: ActionContext = {
      get,
      set,
      editor,
      supervisor,
      notify,
      setSettings,
      flushEvents,
      async worker() {
        const running = supervisor.current();
        if (running) return running;
        set({ phase: 'starting', failure: null });
        const started = await supervisor.start(get().settings.backend);
        if (!started.ok) {
          set({ phase: 'idle' });
          notify(
            `${BACKEND_NAMES[get().settings.backend]} cannot start: ${started.message}. Choose another backend.`,
            'error',
          );
          return undefined;
        }
        set({ backend: started.client.backend, phase: 'idle' });
        return started.client;
      },
    };

    keepStepsOnLeaving(get, supervisor, notify);

    return {
      ...initialTrainingState(initial, editor.getState().document.id ?? ''),
      actions: {
        ...createRunActions(context),
        ...createResultActions(context),
        setSettings,
        removeOverride: (name) => {
          const { [name]: _gone, ...overrides } = get().settings.overrides;
          setSettings({ overrides });
        },
        applyFirstRun: (file) => {
          setSettings({ overrides: {} });
          const values = file ? QUICK_STARTS[file] : undefined;
          // Part of opening the template, as main.tsx opens it: not an undo step of its own.
          if (values) editor.setState((s) => ({ document: withQuickStart(s.document, values) }));
        },
        dismissRefusal: () => set({ refusal: null }),
        dismissNotice: () => set({ notice: null }),
      },
    };
  });

  // Every check of the graph, the editor's too, uses the budget the settings give.
  const syncLimits = () => {
    const { settings, backend } = store.getState();
    const limits = deviceLimits(settings, backend);
    const current = editor.getState().limits;
    const same = (Object.keys(limits) as (keyof typeof limits)[]).every(
      (k) => limits[k] === current[k],
    );
    if (!same) editor.getState().actions.setLimits(limits);
  };
  syncLimits();
  store.subscribe((state, previous) => {
    if (state.settings !== previous.settings || state.backend !== previous.backend) syncLimits();
  });

  editor.subscribe((state, previous) => {
    // Another document (opened, or back by undo): the panel shows its run, or none.
    const documentId = state.document.id ?? '';
    if (documentId !== store.getState().documentId) store.setState({ documentId });
    // Another graph: the overrides were for the one before.
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
  void keptCheckpointInfos().then(
    (infos) => {
      const kept = { ...store.getState().kept };
      // One written since is newer than what was read.
      for (const info of infos) kept[info.documentId] ??= info;
      store.setState({ kept });
    },
    () => undefined,
  );
  return store;
}

/**
 * A page being left may lose up to a checkpoint interval of steps: the worker is asked to keep
 * the step it reached. It must have time for that: a closed or reloaded page ends its worker at
 * once, even mid-step. So while steps are unkept, leaving asks to confirm (beforeunload), and the
 * worker writes while the browser asks; a tab hidden (visibilitychange) keeps its worker running,
 * and its steps so far are kept too. Neither handler can wait: the worker writes on its own.
 */
function keepStepsOnLeaving(
  get: () => TrainingState,
  supervisor: WorkerSupervisor,
  notify: (text: string, tone: 'error') => void,
): void {
  if (typeof window === 'undefined') return;
  const keep = () => {
    void supervisor
      .current()
      ?.api.checkpointNow()
      .catch((e: unknown) => {
        if (!(e instanceof WorkerGone)) {
          notify(`The latest step could not be kept: ${errorText(e)}`, 'error');
        }
      });
  };
  window.addEventListener('beforeunload', (event) => {
    if (!hasUnkeptSteps(get())) return;
    keep();
    event.preventDefault();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') keep();
  });
  window.addEventListener('pagehide', keep);
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
