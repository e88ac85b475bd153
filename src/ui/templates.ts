/**
 * The gallery lists whatever JSON files are in templates/, each parsed like any document and
 * arranged by the editor's own layout (so a template reads as Auto-layout would draw it, and the
 * files need no hand-kept positions).
 */
import { parseDocument, type GraphDocument } from '../graph/document';
import { formatProblem } from '../graph/problems';
import { arrangeContainer } from './canvas/layout';

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
  return [{ file, document: arrangeContainer(parsed.document, undefined) }];
});

/** What a new editor opens with. */
export function defaultTemplate(): Template {
  const template = TEMPLATES.find((t) => t.file === 'cyclegan.json') ?? TEMPLATES[0];
  if (!template) throw new Error('no template in templates/ parses');
  return template;
}
