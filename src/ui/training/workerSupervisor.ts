/**
 * The training worker's life as the page sees it: started on a backend when first needed,
 * ended (after its checkpoints are written) to start again on another, dropped when it crashed
 * or lost its device; and the page's actions on it, one after the other, so that a click never
 * interleaves with the one before.
 */
import type {
  BackendChoice,
  BrowserTrainingEvent,
  SavedCheckpointInfo,
} from '../../runtime/worker/protocol';
import { startTrainingClient, WorkerGone, type TrainingClient } from './trainingClient';

export interface SupervisorHandlers {
  onEvent(event: BrowserTrainingEvent): void;
  /** The worker died on its own; it is dropped already. */
  onCrash(message: string): void;
  /** The action under way (its name), or none. */
  onBusy(action: string | null): void;
  /** An action failed in a way it did not handle itself. */
  onError(message: string): void;
}

export type Started = { ok: true; client: TrainingClient } | { ok: false; message: string };

export interface WorkerSupervisor {
  /** The worker, while one runs. */
  current(): TrainingClient | undefined;
  /** The running worker, or one started on `choice`. */
  start(choice: BackendChoice): Promise<Started>;
  /**
   * Ends the worker once its run is paused and its checkpoints are written; returns the
   * checkpoint then kept for `documentId`.
   */
  end(documentId: string): Promise<SavedCheckpointInfo | undefined>;
  /** Ends the worker now: it crashed, or its device is gone. */
  drop(): void;
  /** Runs actions one after the other; a failure is reported, never thrown at a click. */
  serial(name: string, action: () => Promise<void>): Promise<void>;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createWorkerSupervisor(handlers: SupervisorHandlers): WorkerSupervisor {
  let client: TrainingClient | undefined;
  let queue: Promise<void> = Promise.resolve();

  const drop = () => {
    client?.terminate();
    client = undefined;
  };

  return {
    current: () => client,
    async start(choice) {
      if (client) return { ok: true, client };
      // A worker ended or replaced is heard no more.
      let started: TrainingClient | undefined;
      const isCurrent = () => started !== undefined && client === started;
      try {
        started = await startTrainingClient(choice, {
          onEvent: (event) => {
            if (isCurrent()) handlers.onEvent(event);
          },
          onCrash: (message) => {
            if (!isCurrent()) return;
            client = undefined;
            handlers.onCrash(message);
          },
        });
        client = started;
        return { ok: true, client };
      } catch (e) {
        return { ok: false, message: errorText(e) };
      }
    },
    async end(documentId) {
      const old = client;
      client = undefined;
      if (!old) return undefined;
      await old.api.pause().catch(() => undefined);
      const kept = await old.api.settled(documentId).catch(() => undefined);
      old.terminate();
      return kept;
    },
    drop,
    serial(name, action) {
      const next = queue.then(async () => {
        handlers.onBusy(name);
        try {
          await action();
        } catch (e) {
          // A dead worker has its own message (the failure note).
          if (!(e instanceof WorkerGone)) handlers.onError(errorText(e));
        } finally {
          handlers.onBusy(null);
        }
      });
      queue = next;
      return next;
    },
  };
}
