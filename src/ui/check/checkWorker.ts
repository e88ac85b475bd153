/**
 * The check of a large document, off the page's thread (see backgroundCheck.ts). What comes back
 * is what the editor shows: shapes, problems, the step's estimate. The resolved graph stays here:
 * it holds the node kinds, functions that cannot be sent, and the page draws ports without it.
 */
import '../../withoutEval';
import { expose } from 'comlink';
import type { DeviceLimits } from '../../graph/budget';
import { checkDocument } from '../../graph/check';
import type { GraphDocument } from '../../graph/document';
import type { CheckedInBackground } from './backgroundCheck';

const api = {
  check(document: GraphDocument, limits: DeviceLimits): CheckedInBackground {
    const { inference, estimate, problems, valid } = checkDocument(document, {}, limits);
    return { inference, estimate, problems, valid };
  },
};

export type CheckWorkerApi = typeof api;

expose(api);
