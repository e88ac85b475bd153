import { parseDocument } from '../graph/document';
import type { EditorActions } from './store';

/** Opens a JSON file: the document replaces the current one, or its problems are shown. */
export async function openDocumentFile(file: File, actions: EditorActions): Promise<void> {
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    actions.notify(`${file.name} could not be read: ${(e as Error).message}`, 'error');
    return;
  }
  const parsed = parseDocument(text);
  if (parsed.ok) {
    actions.replaceDocument(parsed.document, `Opened ${file.name}`);
  } else {
    actions.showReport({
      title: `${file.name} could not be opened; the graph on screen is unchanged`,
      problems: parsed.problems,
    });
  }
}
