/**
 * Where documents come from and go: the documents kept in this browser (savedDocuments.ts, each
 * with its own autosave, see documentSession.ts), share links (the document deflated into the
 * URL fragment, which never reaches a server), files.
 */
import {
  DOCUMENT_SIZE_LIMIT,
  parseDocument,
  serializeDocument,
  type GraphDocument,
} from '../graph/document';
import type { Problem } from '../graph/problems';
import type { Version } from './documentIndex';
import {
  TAB_DOCUMENT_KEY,
  asOpenedDocument,
  migrateSingleSlot,
  readIndex,
  readStoredDocument,
} from './savedDocuments';
import type { ProblemReport } from './store';

const FRAGMENT = 'graph=';

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
  document: GraphDocument & { id: string };
  source: 'link' | 'autosave' | 'template';
  /** The version it is kept at, when it is a kept document; none: a new one. */
  version?: Version;
  /** What could not be opened on the way (a damaged link or kept document). */
  report?: ProblemReport;
}

/** The kept document `id`, when it is there and reads. */
function keptDocument(
  local: Storage,
  id: string | null,
):
  | { document: GraphDocument & { id: string }; version: Version }
  | { problems: Problem[] }
  | undefined {
  if (id === null) return undefined;
  const found = readStoredDocument(local, id);
  if (!found) return undefined;
  if (!found.parsed.ok) return { problems: found.parsed.problems };
  return { document: { ...found.parsed.document, id }, version: found.version };
}

/**
 * What a tab opens: a share link, then a template the link names (each a new document), then
 * the tab's own document (a reload), then the most recently edited one, then the template as a
 * new document. The single autosave slot of earlier versions is moved into the kept documents
 * first.
 */
export async function loadInitialDocument(options: {
  hash: string;
  local: Storage;
  tab: Storage;
  template: GraphDocument;
  /** The link names the template: it wins over the kept documents. */
  templateLinked?: boolean;
  now?: number;
}): Promise<InitialDocument> {
  const { local, tab } = options;
  let report: ProblemReport | undefined;
  const withReport = (initial: InitialDocument): InitialDocument =>
    report ? { ...initial, report } : initial;
  try {
    const moved = migrateSingleSlot(local, options.now ?? Date.now());
    if (moved.problems) {
      report = {
        title: 'The autosaved graph could not be restored',
        problems: moved.problems.problems,
      };
    }
  } catch (e) {
    report = {
      title: 'The autosaved graph could not be moved into the kept documents',
      problems: [{ path: '$', code: 'schema', message: (e as Error).message }],
    };
  }
  const link = await decodeShareFragment(options.hash);
  if (link?.ok) return { document: asOpenedDocument(local, link.document), source: 'link' };
  if (link && !link.ok)
    report = { title: 'The shared link could not be opened', problems: link.problems };
  const template = () =>
    withReport({ document: asOpenedDocument(local, options.template), source: 'template' });
  if (options.templateLinked && !link) return template();
  for (const id of [tab.getItem(TAB_DOCUMENT_KEY), readIndex(local)[0]?.id ?? null]) {
    const kept = keptDocument(local, id);
    if (kept && 'document' in kept) return withReport({ ...kept, source: 'autosave' });
    if (kept) report ??= { title: 'The kept graph could not be restored', problems: kept.problems };
  }
  return template();
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
