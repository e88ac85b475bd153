/**
 * Where documents come from and go: the autosave (written synchronously after every edit, so
 * that closing the page right after an edit keeps it), share links (the document deflated into
 * the URL fragment, which never reaches a server), files.
 */
import {
  DOCUMENT_SIZE_LIMIT,
  parseDocument,
  serializeDocument,
  type GraphDocument,
} from '../graph/document';
import type { Problem } from '../graph/problems';
import type { EditorStore, ProblemReport } from './store';

export const AUTOSAVE_KEY = 'ganvas.autosave';
const FRAGMENT = 'graph=';

/** Saves the document whenever it changes, and once now. Returns the unsubscribe. */
export function startAutosave(store: EditorStore, storage: Storage): () => void {
  const save = (doc: GraphDocument) => {
    try {
      storage.setItem(AUTOSAVE_KEY, serializeDocument(doc));
    } catch (e) {
      store.getState().actions.notify(`Autosave failed: ${(e as Error).message}`, 'error');
    }
  };
  save(store.getState().document);
  return store.subscribe((state, previous) => {
    if (state.document !== previous.document) save(state.document);
  });
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function compress(bytes: Uint8Array): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** A link whose graph inflates past the document cap. */
class LinkTooLarge extends Error {}

/**
 * Inflates a link chunk by chunk, stopping as soon as more than DOCUMENT_SIZE_LIMIT bytes come
 * out: a few hundred KiB of link can inflate to GiBs on the page's thread.
 */
async function inflateLink(bytes: Uint8Array): Promise<Uint8Array> {
  const reader = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('deflate'))
    .getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > DOCUMENT_SIZE_LIMIT) {
      await reader.cancel();
      throw new LinkTooLarge(
        `the link's graph inflates past ${DOCUMENT_SIZE_LIMIT / 1024 / 1024} MiB: refused`,
      );
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The URL fragment that carries a document: `graph=<deflated JSON, base64url>`. */
export async function encodeShareFragment(doc: GraphDocument): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(doc));
  return FRAGMENT + toBase64Url(await compress(json));
}

/**
 * The document a URL fragment carries; undefined when the fragment carries none. A damaged link
 * gives problems, as a damaged file does; so does one whose graph inflates past the document cap.
 */
export async function decodeShareFragment(
  hash: string,
): Promise<ReturnType<typeof parseDocument> | undefined> {
  const fragment = hash.replace(/^#/, '');
  if (!fragment.startsWith(FRAGMENT)) return undefined;
  let text: string;
  try {
    const bytes = await inflateLink(
      fromBase64Url(decodeURIComponent(fragment.slice(FRAGMENT.length))),
    );
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    const message = (e as Error).message;
    return {
      ok: false,
      problems: [
        e instanceof LinkTooLarge
          ? { path: '$', code: 'limit', message }
          : { path: '$', code: 'link', message: `the link is damaged: ${message}` },
      ],
    };
  }
  return parseDocument(text);
}

export interface InitialDocument {
  document: GraphDocument;
  source: 'link' | 'autosave' | 'template';
  /** What could not be opened on the way (a damaged link or autosave). */
  report?: ProblemReport;
}

/** A share link wins, then the autosave, then the given template. */
export async function loadInitialDocument(options: {
  hash: string;
  storage: Storage;
  template: GraphDocument;
}): Promise<InitialDocument> {
  let report: ProblemReport | undefined;
  const link = await decodeShareFragment(options.hash);
  if (link?.ok) return { document: link.document, source: 'link' };
  if (link && !link.ok)
    report = { title: 'The shared link could not be opened', problems: link.problems };
  const saved = options.storage.getItem(AUTOSAVE_KEY);
  if (saved !== null) {
    const parsed = parseDocument(saved);
    if (parsed.ok)
      return { document: parsed.document, source: 'autosave', ...(report ? { report } : {}) };
    report ??= { title: 'The autosaved graph could not be restored', problems: parsed.problems };
  }
  return { document: options.template, source: 'template', ...(report ? { report } : {}) };
}

export function fileNameFor(doc: GraphDocument): string {
  return `${fileStemFor(doc)}.ganvas.json`;
}

/** The graph's name as a file name stem: `CycleGAN`, `My-GAN`. */
export function fileStemFor(doc: GraphDocument): string {
  return (
    doc.name
      .trim()
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-|-$/g, '') || 'graph'
  );
}

/** Offers a file for download. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Long enough for the browser to start reading a large file.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Offers the document as a JSON file. */
export function downloadDocument(doc: GraphDocument): void {
  downloadBlob(new Blob([serializeDocument(doc)], { type: 'application/json' }), fileNameFor(doc));
}

export async function readDocumentFile(
  file: File,
): Promise<{ ok: true; document: GraphDocument } | { ok: false; problems: Problem[] }> {
  return parseDocument(await file.text());
}
