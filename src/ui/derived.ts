/**
 * What the editor shows is derived from the document, never stored beside it: the check (shapes,
 * problems, parameter counts) is computed once per document and shared by every panel. About
 * 2 ms for the CycleGAN template at 256×256, so it runs within the frame of each edit; a large
 * document is checked in a worker instead (check/backgroundCheck.ts), and its panels show the
 * check once it settles.
 */
import { useCallback, useSyncExternalStore } from 'react';
import type { DeviceLimits } from '../graph/budget';
import { checkDocument, type CheckResult } from '../graph/check';
import type { GraphDocument } from '../graph/document';
import { variableValues } from '../graph/edits';
import type { Variables } from '../graph/expression';
import {
  canCheckInBackground,
  checkInBackground,
  documentNodes,
  isLargeDocument,
} from './check/backgroundCheck';

const checks = new WeakMap<GraphDocument, { limits: DeviceLimits; result: CheckResult }>();
const variables = new WeakMap<GraphDocument, Variables>();

/** Large documents asked of the worker, with the limits they were asked with. */
const requested = new WeakMap<GraphDocument, DeviceLimits>();
/** Per document id, its last settled background check, marked pending: shown while the next runs. */
const lastSettled = new Map<string | undefined, CheckResult>();
const NOTHING_YET: CheckResult = { problems: [], valid: false, pending: true };
const listeners = new Set<() => void>();

/** What a check on the page's thread is measured as (User Timing), its detail the document's nodes. */
export const CHECK_IN_PLACE = 'ganvas:check';

function checkInPlace(doc: GraphDocument, limits: DeviceLimits): CheckResult {
  const start = performance.now();
  const result = checkDocument(doc, {}, limits);
  // In DevTools' performance panel, and for the test that large documents are checked elsewhere.
  performance.measure(CHECK_IN_PLACE, { start, detail: { nodes: documentNodes(doc) } });
  checks.set(doc, { limits, result });
  return result;
}

function settle(doc: GraphDocument, limits: DeviceLimits, result: CheckResult): void {
  checks.set(doc, { limits, result });
  lastSettled.set(doc.id, { ...result, pending: true });
  for (const listener of listeners) listener();
}

/**
 * The check of a document against the limits the editor holds (one result per document). A
 * large one's is asked of the worker: until it settles, what was last settled for the document.
 */
export function checkFor(doc: GraphDocument, limits: DeviceLimits): CheckResult {
  const known = checks.get(doc);
  if (known?.limits === limits) return known.result;
  if (!isLargeDocument(doc) || !canCheckInBackground()) return checkInPlace(doc, limits);
  if (requested.get(doc) !== limits) {
    requested.set(doc, limits);
    checkInBackground(
      {
        doc,
        limits,
        settle: (result) => settle(doc, limits, result),
        // Asked again if shown again (an undo back to it).
        superseded: () => requested.delete(doc),
      },
      checkInPlace,
    );
  }
  return lastSettled.get(doc.id) ?? NOTHING_YET;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** checkFor in a component: it renders again when a background check settles. */
export function useCheck(doc: GraphDocument, limits: DeviceLimits): CheckResult {
  const current = useCallback(() => checkFor(doc, limits), [doc, limits]);
  return useSyncExternalStore(subscribe, current);
}

export function variablesFor(doc: GraphDocument): Variables {
  let result = variables.get(doc);
  if (!result) {
    result = variableValues(doc);
    variables.set(doc, result);
  }
  return result;
}

/** 11378179 → "11.38 M". */
export function formatCount(n: number | undefined): string {
  if (n === undefined) return '–';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}
