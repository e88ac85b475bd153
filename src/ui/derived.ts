/**
 * What the editor shows is derived from the document, never stored beside it: the check (shapes,
 * problems, parameter counts) is computed once per document and shared by every panel. About
 * 2 ms for the CycleGAN template at 256×256, so it runs within the frame of each edit.
 */
import type { DeviceLimits } from '../graph/budget';
import { checkDocument, type CheckResult } from '../graph/check';
import type { GraphDocument } from '../graph/document';
import { variableValues } from '../graph/edits';
import type { Variables } from '../graph/expression';

const checks = new WeakMap<GraphDocument, { limits: DeviceLimits; result: CheckResult }>();
const variables = new WeakMap<GraphDocument, Variables>();

/** The check of a document against the limits the editor holds (one result per document). */
export function checkFor(doc: GraphDocument, limits: DeviceLimits): CheckResult {
  const known = checks.get(doc);
  if (known?.limits === limits) return known.result;
  const result = checkDocument(doc, {}, limits);
  checks.set(doc, { limits, result });
  return result;
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
