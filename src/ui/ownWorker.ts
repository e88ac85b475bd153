/**
 * A worker started for one piece of work and ended when it is done or fails: what the page hands
 * off when the work would hold its thread for seconds (a project zip, a run file of hundreds of
 * megabytes). `start` makes the worker, written out at the caller (`new Worker(new URL(...,
 * import.meta.url))`) so that the bundler finds its entry; `what` names it in a failure.
 */
import { wrap, type Remote } from 'comlink';

export async function inOwnWorker<Api, T>(
  what: string,
  start: () => Worker,
  work: (api: Remote<Api>) => Promise<T>,
): Promise<T> {
  const worker = start();
  // A worker that fails to load or throws outside a call would leave the call waiting forever.
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) =>
      reject(new Error(`${what} failed: ${e.message || 'it did not start'}`)),
    );
  });
  try {
    return await Promise.race([work(wrap<Api>(worker)), failed]);
  } finally {
    worker.terminate();
  }
}
