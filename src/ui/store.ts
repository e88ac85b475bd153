/**
 * The editor's state. The document is the single source of truth; everything drawn is derived
 * from it (see derived.ts). Every change to the document goes through `apply` with one of the
 * pure edits of src/graph/edits.ts and becomes one undo step, whatever it touches: a paste, a
 * drag (committed when it stops), a preset switch.
 *
 * The rest is the view: which network is open, the selection, a drag in progress, messages.
 */
import { DEFAULT_DEVICE_LIMITS, type DeviceLimits } from '../graph/budget';
import { createStore, type StoreApi } from 'zustand/vanilla';
import {
  copyToClipboard,
  parseClipboard,
  pasteClipboard,
  serializeClipboard,
  type ClipboardPayload,
} from '../graph/clipboard';
import { withDocumentId, type EdgeDocument, type GraphDocument } from '../graph/document';
import {
  connect,
  copyNodes,
  disconnect,
  findNetwork,
  materializeNetworkBody,
  moveNodes,
  pasteNodes,
  presetBody,
  removeNodes,
  type XY,
} from '../graph/edits';
import type { Problem } from '../graph/problems';
import { edgeKey } from '../graph/resolve';
import { presetLayout } from './canvas/flowModel';
import { variablesFor } from './derived';

export interface Selection {
  nodes: string[];
  edges: string[];
}

export interface Notice {
  text: string;
  tone: 'info' | 'error';
  id: number;
}

/** Problems to show in a dialog: a file or link that could not be opened. */
export interface ProblemReport {
  title: string;
  problems: Problem[];
}

/** What an edit gives back: a document, or why it was refused. */
export type EditOutcome =
  | GraphDocument
  | { ok: true; document: GraphDocument; ids?: string[] }
  | { ok: false; reason: string };

const HISTORY_LIMIT = 200;
const NO_SELECTION: Selection = { nodes: [], edges: [] };

export interface EditorActions {
  /**
   * Applies an edit to the document as one undo step. Inside a network built from a preset, the
   * preset is first written out as layers (placed as they are drawn), in the same step.
   * Returns false, with the reason shown, when the edit was refused.
   */
  apply(edit: (doc: GraphDocument, networkId?: string) => EditOutcome): boolean;
  /** Applies an edit to the training graph and the networks, wherever the view is. */
  applyToDocument(edit: (doc: GraphDocument) => EditOutcome): boolean;
  undo(): void;
  redo(): void;
  /** Opens another document (a file, a template): undoable, back to the training graph. */
  replaceDocument(doc: GraphDocument, message: string): void;
  /**
   * Shows a newer version of the same document (saved by another tab): undoable, the view kept
   * where its network still exists.
   */
  receiveDocument(doc: GraphDocument, message: string): void;
  openNetwork(networkId: string | undefined, applicationId?: string): void;
  showApplication(networkId: string, applicationId: string): void;
  select(selection: Selection): void;
  selectAll(): void;
  setDragging(positions: Record<string, XY> | null): void;
  /** Commits the positions of a drag that ended, as one step. */
  commitDrag(positions: Record<string, XY>): void;
  /** Copies the selection; returns it as text for the system clipboard (undefined: nothing). */
  copySelection(): string | undefined;
  /** Pastes what was last copied or pasted, a little further each time. */
  paste(): void;
  /**
   * Pastes text from the system clipboard when it is a copy from an editor (this tab or
   * another), and otherwise what the editor last copied.
   */
  pasteText(text: string): void;
  duplicateSelection(): void;
  deleteSelection(): void;
  connect(edge: {
    source: string;
    sourcePort: string;
    target: string;
    targetPort: string;
  }): boolean;
  notify(text: string, tone?: Notice['tone']): void;
  dismissNotice(id: number): void;
  showReport(report: ProblemReport | null): void;
  /** Shows a node: opens its network if it is a layer, selects it and brings it into view. */
  focusNode(nodeId: string, networkId?: string): void;
  /** Shows an edge (its id as the selection holds it): selects it and brings both ends into view. */
  focusEdge(edgeId: string, networkId?: string): void;
  requestFitView(): void;
  /** What the graph is checked against: the user's memory budget, the GPU's buffer limits. */
  setLimits(limits: DeviceLimits): void;
}

export interface EditorState {
  document: GraphDocument;
  past: GraphDocument[];
  future: GraphDocument[];
  /** The network whose layers are shown; undefined: the training graph. */
  networkId: string | undefined;
  /** Per network, the application whose shapes its layers show. */
  applications: Record<string, string>;
  selection: Selection;
  /** Positions of nodes being dragged, until the drag ends. */
  dragging: Record<string, XY> | null;
  notice: Notice | null;
  report: ProblemReport | null;
  /** Bumped to bring a node (or, with no node, the whole graph) into view. */
  focus: { nodeId?: string; edgeId?: string; nonce: number };
  /** What was last copied (or pasted from the system clipboard), as a payload and as text. */
  clipboard: { content: ClipboardPayload; text: string; pastes: number } | null;
  /** Counts the documents opened (replaceDocument): an edit leaves it, another graph bumps it. */
  opened: number;
  /** The limits every check of the graph uses (the training settings set the budget). */
  limits: DeviceLimits;
  actions: EditorActions;
}

export type EditorStore = StoreApi<EditorState>;

function outcomeOf(
  result: EditOutcome,
): { ok: true; document: GraphDocument; ids?: string[] } | { ok: false; reason: string } {
  return 'format' in result ? { ok: true, document: result } : result;
}

/** The document with the open preset network written out as layers, placed as drawn. */
function materializeView(doc: GraphDocument, networkId: string | undefined): GraphDocument {
  if (networkId === undefined || !findNetwork(doc, networkId)?.preset) return doc;
  const body = presetBody(doc, networkId) ?? { nodes: [], edges: [] };
  return materializeNetworkBody(doc, networkId, presetLayout(body, variablesFor(doc)));
}

/** Drops a selection's ids that are gone from the shown container. */
function keepExisting(doc: GraphDocument, networkId: string | undefined, selection: Selection) {
  const container =
    networkId === undefined
      ? doc
      : (findNetwork(doc, networkId)?.body ??
        presetBody(doc, networkId) ?? { nodes: [], edges: [] });
  const nodes = new Set(container.nodes.map((n) => n.id));
  const edges = new Set(container.edges.map(edgeKey));
  return {
    nodes: selection.nodes.filter((id) => nodes.has(id)),
    edges: selection.edges.filter((id) => edges.has(id)),
  };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "Pasted 3 nodes, network D_A, variables ndf, norm". */
function describePaste(result: { ids: string[]; networks: string[]; variables: string[] }) {
  const list = (noun: string, names: string[]) =>
    names.length === 0 ? [] : [`${names.length === 1 ? noun : `${noun}s`} ${names.join(', ')}`];
  return [
    `Pasted ${count(result.ids.length, 'node')}`,
    ...list('network', result.networks),
    ...list('variable', result.variables),
  ].join(', ');
}

export function createEditorStore(initial: GraphDocument): EditorStore {
  let notices = 0;
  return createStore<EditorState>()((set, get) => {
    const commit = (next: GraphDocument, selection?: Selection) => {
      const { document, past, networkId } = get();
      if (next === document) return;
      set({
        document: next,
        past: [...past, document].slice(-HISTORY_LIMIT),
        future: [],
        selection: keepExisting(next, networkId, selection ?? get().selection),
      });
    };

    /** After undo or redo: the view stays if its network still exists. */
    const show = (doc: GraphDocument) => {
      const { networkId, selection } = get();
      const stays = networkId === undefined || findNetwork(doc, networkId) !== undefined;
      const view = stays ? networkId : undefined;
      return {
        document: doc,
        networkId: view,
        selection: keepExisting(doc, view, selection),
        dragging: null,
      };
    };

    const actions: EditorActions = {
      apply(edit) {
        const { document, networkId } = get();
        const base = materializeView(document, networkId);
        const result = outcomeOf(edit(base, networkId));
        if (!result.ok) {
          actions.notify(result.reason, 'error');
          return false;
        }
        // An edit that changed nothing does not write a preset out either.
        if (result.document === base) return true;
        commit(result.document, result.ids ? { nodes: result.ids, edges: [] } : undefined);
        return true;
      },
      applyToDocument(edit) {
        const result = outcomeOf(edit(get().document));
        if (!result.ok) {
          actions.notify(result.reason, 'error');
          return false;
        }
        commit(result.document);
        return true;
      },
      undo() {
        const { past, future, document } = get();
        const previous = past[past.length - 1];
        if (!previous) return;
        set({ ...show(previous), past: past.slice(0, -1), future: [document, ...future] });
      },
      redo() {
        const { past, future, document } = get();
        const next = future[0];
        if (!next) return;
        set({ ...show(next), past: [...past, document], future: future.slice(1) });
      },
      replaceDocument(doc, message) {
        commit(withDocumentId(doc), NO_SELECTION);
        set((s) => ({
          networkId: undefined,
          selection: NO_SELECTION,
          report: null,
          opened: s.opened + 1,
        }));
        actions.notify(message);
        actions.requestFitView();
      },
      receiveDocument(doc, message) {
        const { document, past } = get();
        if (doc === document) return;
        set({ ...show(doc), past: [...past, document].slice(-HISTORY_LIMIT), future: [] });
        actions.notify(message);
      },
      openNetwork(networkId, applicationId) {
        set((s) => ({
          networkId,
          selection: NO_SELECTION,
          dragging: null,
          ...(networkId && applicationId
            ? { applications: { ...s.applications, [networkId]: applicationId } }
            : {}),
        }));
      },
      showApplication(networkId, applicationId) {
        set((s) => ({ applications: { ...s.applications, [networkId]: applicationId } }));
      },
      select(selection) {
        set({ selection });
      },
      selectAll() {
        const { document, networkId } = get();
        const container =
          networkId === undefined
            ? document
            : (findNetwork(document, networkId)?.body ?? presetBody(document, networkId));
        if (!container) return;
        set({
          selection: {
            nodes: container.nodes.map((n) => n.id),
            edges: container.edges.map(edgeKey),
          },
        });
      },
      setDragging(positions) {
        set({ dragging: positions });
      },
      commitDrag(positions) {
        set({ dragging: null });
        actions.apply((doc, networkId) => moveNodes(doc, positions, networkId));
      },
      copySelection() {
        const { document, networkId, selection } = get();
        if (selection.nodes.length === 0) return undefined;
        const content = copyToClipboard(document, selection.nodes, networkId);
        const text = serializeClipboard(content);
        set({ clipboard: { content, text, pastes: 0 } });
        actions.notify(`Copied ${count(selection.nodes.length, 'node')}`);
        return text;
      },
      paste() {
        const clipboard = get().clipboard;
        if (!clipboard) return;
        const step = 40 * (clipboard.pastes + 1);
        let added = '';
        const pasted = actions.apply((doc, networkId) => {
          const result = pasteClipboard(doc, clipboard.content, networkId, { x: step, y: step });
          if (result.ok) added = describePaste(result);
          return result;
        });
        if (!pasted) return;
        set({ clipboard: { ...clipboard, pastes: clipboard.pastes + 1 } });
        actions.notify(added);
      },
      pasteText(text) {
        if (text !== get().clipboard?.text) {
          const parsed = parseClipboard(text);
          if (parsed.ok) set({ clipboard: { content: parsed.payload, text, pastes: 0 } });
        }
        actions.paste();
      },
      duplicateSelection() {
        const { document, networkId, selection } = get();
        if (selection.nodes.length === 0) return;
        const content = copyNodes(document, selection.nodes, networkId);
        actions.apply((doc, id) => pasteNodes(doc, content, id));
      },
      deleteSelection() {
        const { selection } = get();
        if (selection.nodes.length === 0 && selection.edges.length === 0) return;
        actions.apply((doc, networkId) =>
          removeNodes(disconnect(doc, selection.edges, networkId), selection.nodes, networkId),
        );
      },
      connect(edge) {
        let replaced: EdgeDocument | undefined;
        const ok = actions.apply((doc, networkId) => {
          const result = connect(doc, edge, networkId);
          if (result.ok) replaced = result.replaced;
          return result;
        });
        if (ok && replaced) {
          actions.notify(
            `${edge.target}.${edge.targetPort} now comes from ${edge.source}.${edge.sourcePort} (was ${replaced.source}.${replaced.sourcePort})`,
          );
        }
        return ok;
      },
      notify(text, tone = 'info') {
        set({ notice: { text, tone, id: ++notices } });
      },
      dismissNotice(id) {
        if (get().notice?.id === id) set({ notice: null });
      },
      showReport(report) {
        set({ report });
      },
      focusNode(nodeId, networkId) {
        set((s) => ({
          networkId,
          selection: { nodes: [nodeId], edges: [] },
          focus: { nodeId, nonce: s.focus.nonce + 1 },
        }));
      },
      focusEdge(edgeId, networkId) {
        set((s) => ({
          networkId,
          selection: { nodes: [], edges: [edgeId] },
          focus: { edgeId, nonce: s.focus.nonce + 1 },
        }));
      },
      setLimits(limits) {
        set({ limits });
      },
      requestFitView() {
        set((s) => ({ focus: { nonce: s.focus.nonce + 1 } }));
      },
    };

    return {
      document: withDocumentId(initial),
      past: [],
      future: [],
      networkId: undefined,
      applications: {},
      selection: NO_SELECTION,
      dragging: null,
      notice: null,
      report: null,
      focus: { nonce: 0 },
      clipboard: null,
      opened: 0,
      limits: DEFAULT_DEVICE_LIMITS,
      actions,
    };
  });
}
