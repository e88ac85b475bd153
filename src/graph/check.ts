/** The whole front half of the pipeline: parse, resolve, infer, budget. What `ganvas check` runs. */
import {
  budgetProblems,
  DEFAULT_DEVICE_LIMITS,
  estimateStep,
  type DeviceLimits,
  type StepEstimate,
} from './budget';
import { parseDocument, type GraphDocument } from './document';
import type { VariableValue } from './expression';
import { inferShapes, type Inference } from './inference';
import { isError, type Problem } from './problems';
import { resolveGraph, type ResolvedGraph } from './resolve';
import { causeProblems } from './shapeCauses';

export interface CheckResult {
  document?: GraphDocument;
  graph?: ResolvedGraph;
  inference?: Inference;
  /** What a training step will ask of the device (parts whose shapes failed count nothing). */
  estimate?: StepEstimate;
  problems: Problem[];
  /** No errors (warnings allowed). */
  valid: boolean;
  /**
   * Checked in the background and not settled yet: what is here is the document's previous check
   * (or nothing), not this version's.
   */
  pending?: boolean;
}

export function checkGraph(
  input: unknown,
  overrides: Readonly<Record<string, VariableValue | string>> = {},
  limits: DeviceLimits = DEFAULT_DEVICE_LIMITS,
): CheckResult {
  const parsed = parseDocument(input);
  if (!parsed.ok) return { problems: parsed.problems, valid: false };
  return checkDocument(parsed.document, overrides, limits);
}

/**
 * Checks a document against the device's limits (by default WebGPU's and the default memory
 * budget): a graph that would not fit is refused here, before anything is allocated.
 */
export function checkDocument(
  document: GraphDocument,
  overrides: Readonly<Record<string, VariableValue | string>> = {},
  limits: DeviceLimits = DEFAULT_DEVICE_LIMITS,
): CheckResult {
  const { graph, problems } = resolveGraph(document, overrides);
  const inference = inferShapes(graph);
  const estimate = estimateStep(graph, inference);
  // Causes first: what to change, before where the shapes collide because of it.
  const causes = causeProblems(document, graph, inference);
  const all = [
    ...problems,
    ...causes,
    ...inference.problems,
    ...budgetProblems(graph, estimate, limits),
  ];
  return { document, graph, inference, estimate, problems: all, valid: !all.some(isError) };
}
