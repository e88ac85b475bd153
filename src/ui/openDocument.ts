import { formatBytes } from '../graph/budget';
import { DOCUMENT_SIZE_LIMIT, parseDocument } from '../graph/document';
import { GRAPH_KEYWORD, isPng, readPngText } from '../runtime/png';
import { asOpenedDocument } from './savedDocuments';
import type { EditorActions } from './store';

/**
 * The largest sample PNG read for its graph: a grid of 4096×4096 samples compresses to far less.
 * A JSON graph may be DOCUMENT_SIZE_LIMIT. Either is refused by its size before it is read.
 */
export const GRAPH_PNG_LIMIT = 256 * 2 ** 20;

/** A graph file's text: JSON as it is, or the graph a saved sample PNG carries. */
export async function graphFileText(file: File): Promise<string> {
  const png = isPng(new Uint8Array(await file.slice(0, 8).arrayBuffer()));
  const limit = png ? GRAPH_PNG_LIMIT : DOCUMENT_SIZE_LIMIT;
  if (file.size > limit) {
    throw new Error(
      `it is ${formatBytes(file.size)}, more than a graph ${png ? 'PNG' : 'file'} may be (${formatBytes(limit)}): not read`,
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!isPng(bytes)) return new TextDecoder().decode(bytes);
  const text = readPngText(bytes, GRAPH_KEYWORD);
  if (text === undefined) {
    throw new Error('this PNG carries no graph (only samples saved by Ganvas do)');
  }
  return text;
}

/**
 * Opens a JSON file, or a sample PNG Ganvas saved, as a document of its own: it replaces the
 * one on screen (which stays kept, in Recent), or its problems are shown.
 */
export async function openDocumentFile(file: File, actions: EditorActions): Promise<void> {
  let text: string;
  try {
    text = await graphFileText(file);
  } catch (e) {
    actions.notify(`${file.name} could not be opened: ${(e as Error).message}`, 'error');
    return;
  }
  const parsed = parseDocument(text);
  if (parsed.ok) {
    actions.replaceDocument(asOpenedDocument(localStorage, parsed.document), `Opened ${file.name}`);
  } else {
    actions.showReport({
      title: `${file.name} could not be opened; the graph on screen is unchanged`,
      problems: parsed.problems,
    });
  }
}
