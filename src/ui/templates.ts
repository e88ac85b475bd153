/** The gallery lists whatever JSON files are in templates/, each parsed like any document. */
import { parseDocument, type GraphDocument } from '../graph/document';
import { formatProblem } from '../graph/problems';

export interface Template {
  file: string;
  document: GraphDocument;
}

const files = import.meta.glob<unknown>('/templates/*.json', { eager: true, import: 'default' });

export const TEMPLATES: readonly Template[] = Object.entries(files).flatMap(([path, value]) => {
  const parsed = parseDocument(value);
  const file = path.split('/').pop()!;
  if (!parsed.ok) {
    console.error(
      `templates/${file} does not parse:\n${parsed.problems.map(formatProblem).join('\n')}`,
    );
    return [];
  }
  return [{ file, document: parsed.document }];
});

/** What a new editor opens with. */
export function defaultTemplate(): Template {
  const template = TEMPLATES.find((t) => t.file === 'cyclegan.json') ?? TEMPLATES[0];
  if (!template) throw new Error('no template in templates/ parses');
  return template;
}
