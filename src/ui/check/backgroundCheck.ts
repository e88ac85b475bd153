/**
 * Large documents are checked in a worker, so that opening or editing one never holds the page's
 * thread: a body of 10,000 layers takes about 60 ms to check (bench/checkLarge.ts), four frames,
 * and more under zod's jitless mode and a busy CPU. Small ones are checked on the page, within the
 * frame of the edit, as the editor always did (derived.ts).
 *
 * One check is under way at a time; edits that come meanwhile are not queued, only the latest is
 * checked next. Until a document's check settles, the editor shows the last settled check of the
 * same document, marked pending (its shapes and problems as of a moment ago), or nothing.
 */
import { wrap, type Remote } from 'comlink';
import type { DeviceLimits } from '../../graph/budget';
import type { CheckResult } from '../../graph/check';
import type { GraphDocument } from '../../graph/document';
import type { CheckWorkerApi } from './checkWorker';

/**
 * Nodes and layers written in a document beyond which it is checked in the background: about
 * 5 µs a layer on a desktop (several times that under jitless zod on a busy laptop), so a check
 * of fewer stays within a frame.
 */
export const LARGE_DOCUMENT_NODES = 1000;

/** What the worker sends back: the check without the resolved graph. */
export type CheckedInBackground = Pick<
  CheckResult,
  'inference' | 'estimate' | 'problems' | 'valid'
>;

/** The nodes of the training graph and the layers written in networks' bodies. */
export function documentNodes(doc: GraphDocument): number {
  let nodes = doc.nodes.length;
  for (const network of doc.networks) nodes += network.body?.nodes.length ?? 0;
  return nodes;
}

export function isLargeDocument(doc: GraphDocument): boolean {
  return documentNodes(doc) > LARGE_DOCUMENT_NODES;
}

/** Where a worker can run: the browser. Node (tests, the command line) checks in place. */
export function canCheckInBackground(): boolean {
  return typeof Worker !== 'undefined';
}

interface Request {
  doc: GraphDocument;
  limits: DeviceLimits;
  settle(result: CheckResult): void;
  /** A later document was asked for before this one's turn: this one will not settle. */
  superseded(): void;
}

let remote: Remote<CheckWorkerApi> | undefined;
let running = false;
let next: Request | undefined;

function worker(): Remote<CheckWorkerApi> {
  remote ??= wrap<CheckWorkerApi>(
    new Worker(new URL('./checkWorker.ts', import.meta.url), {
      type: 'module',
      name: 'ganvas-check',
    }),
  );
  return remote;
}

async function drain(fallback: (doc: GraphDocument, limits: DeviceLimits) => CheckResult) {
  running = true;
  while (next) {
    const { doc, limits, settle } = next;
    next = undefined;
    let result: CheckResult;
    try {
      result = { document: doc, ...(await worker().check(doc, limits)) };
    } catch {
      // A worker that cannot start or crashed: a check that holds the page beats none.
      result = fallback(doc, limits);
    }
    settle(result);
  }
  running = false;
}

/**
 * Asks for a document's check in the background; `settle` receives it, unless a later document
 * was asked for before this one's turn came. `fallback` checks in place if the worker fails.
 */
export function checkInBackground(
  request: Request,
  fallback: (doc: GraphDocument, limits: DeviceLimits) => CheckResult,
): void {
  next?.superseded();
  next = request;
  if (!running) void drain(fallback);
}
