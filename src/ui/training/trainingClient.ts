/**
 * The training worker as the page holds it: started on a backend, wrapped by comlink, its
 * events handed to one listener, its crash reported. The page never loads tfjs: the worker is
 * its own chunk.
 */
import { proxy, releaseProxy, wrap, type Remote } from 'comlink';
import type {
  BackendChoice,
  BackendInfo,
  BrowserTrainingApi,
  BrowserTrainingEvent,
} from '../../runtime/worker/protocol';

/** What a call still waiting on the worker gets when the worker dies or is ended. */
export class WorkerGone extends Error {}

export interface TrainingClient {
  api: Remote<BrowserTrainingApi>;
  backend: BackendInfo;
  /** Ends the worker and everything it holds. */
  terminate(): void;
}

export interface ClientHandlers {
  onEvent(event: BrowserTrainingEvent): void;
  /** The worker died (an uncaught error, a message it could not read). */
  onCrash(message: string): void;
}

/** Starts a worker on a backend; rejects (and ends the worker) when the backend cannot start. */
export async function startTrainingClient(
  choice: BackendChoice,
  handlers: ClientHandlers,
): Promise<TrainingClient> {
  const worker = new Worker(new URL('../../runtime/worker/trainingWorker.ts', import.meta.url), {
    type: 'module',
    name: 'ganvas-training',
  });
  let alive = true;
  let gone: (error: WorkerGone) => void = () => undefined;
  const dead = new Promise<never>((_, reject) => (gone = reject));
  dead.catch(() => undefined);
  const crash = (message: string) => {
    if (!alive) return;
    alive = false;
    gone(new WorkerGone(message));
    worker.terminate();
    handlers.onCrash(message);
  };
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    crash(`The training worker stopped: ${e.message || 'it crashed without a message'}`);
  });
  worker.addEventListener('messageerror', () =>
    crash('The training worker sent a message the page could not read'),
  );
  const remote = wrap<BrowserTrainingApi>(worker);
  // A dead worker never answers: every call waiting on it fails instead of hanging.
  const api = new Proxy(remote, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property === 'symbol' || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        Promise.race([(value as (...a: unknown[]) => Promise<unknown>)(...args), dead]);
    },
  });
  const terminate = () => {
    alive = false;
    gone(new WorkerGone('the training worker was ended'));
    remote[releaseProxy]();
    worker.terminate();
  };
  try {
    await api.subscribe(proxy((event: BrowserTrainingEvent) => alive && handlers.onEvent(event)));
    const backend = await api.selectBackend(choice);
    return { api, backend, terminate };
  } catch (e) {
    terminate();
    throw e;
  }
}
