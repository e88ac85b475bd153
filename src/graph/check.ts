/** The whole front half of the pipeline: parse, resolve, infer. What `ganvas check` runs. */
import { parseDocument, type GraphDocument } from './document';
import type { VariableValue } from './expression';
import { inferShapes, type Inference } from './inference';
import { isError, type Problem } from './problems';
import { resolveGraph, type ResolvedGraph } from './resolve';

export interface CheckResult {
  document?: GraphDocument;
  graph?: ResolvedGraph;
  inference?: Inference;
  problems: Problem[];
  /** No errors (warnings allowed). */
  valid: boolean;
}

export function checkGraph(
  input: unknown,
  overrides: Readonly<Record<string, VariableValue | string>> = {},
): CheckResult {
  const parsed = parseDocument(input);
  if (!parsed.ok) return { problems: parsed.problems, valid: false };
  return checkDocument(parsed.document, overrides);
}

export function checkDocument(
  document: GraphDocument,
  overrides: Readonly<Record<string, VariableValue | string>> = {},
): CheckResult {
  const { graph, problems } = resolveGraph(document, overrides);
  const inference = inferShapes(graph);
  const all = [...problems, ...inference.problems];
  return { document, graph, inference, problems: all, valid: !all.some(isError) };
}
