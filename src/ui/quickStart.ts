/**
 * The quick start of a template: the values its first run trains at (smaller images, lighter
 * networks, so that it learns within minutes on a laptop GPU) written into the document's
 * variables, so that what the edges show is what a run trains. The template keeps the
 * reference's values; the Variables panel says them and puts them back.
 */
import type { GraphDocument } from '../graph/document';
import { withVariableValues } from '../graph/edits';
import type { VariableValue } from '../graph/expression';

type Values = Readonly<Record<string, VariableValue>>;

/**
 * Per template file, the values its first run trains at: 64×64, as the reference's quick
 * experiments train, with lighter networks to match.
 */
export const QUICK_STARTS: Readonly<Record<string, Values>> = {
  'cyclegan.json': { size: 64, ngf: 32, ndf: 32, n_blocks: 6 },
};

/** The document with `values` set on the variables it has, of their type. */
export function withQuickStart(doc: GraphDocument, values: Values): GraphDocument {
  return withVariableValues(doc, values);
}

/**
 * The reference's values of the variables still at their quick-start value: the template of the
 * same name that has a quick start, where its value differs.
 */
export function referenceValues(
  doc: GraphDocument,
  templates: readonly { file: string; document: GraphDocument }[],
  quickStarts: Readonly<Record<string, Values>>,
): Record<string, VariableValue> {
  const template = templates.find((t) => t.document.name === doc.name && quickStarts[t.file]);
  if (!template) return {};
  const references: Record<string, VariableValue> = {};
  for (const [name, value] of Object.entries(quickStarts[template.file]!)) {
    const reference = template.document.variables[name]?.value;
    if (doc.variables[name]?.value === value && reference !== undefined && reference !== value) {
      references[name] = reference;
    }
  }
  return references;
}
