import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument, serializeDocument, type GraphDocument } from '../graph/document';
import { setParam, setVariable } from '../graph/edits';
import { addNodeOfKind } from './nodeFactory';
import { createEditorStore } from './store';

function template(name = 'cyclegan'): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, `../../templates/${name}.json`), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`the ${name} template does not parse`);
  return parsed.document;
}

describe('the editor store', () => {
  test('undo and redo walk back and forth through exactly the same documents', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    const states = [serializeDocument(store.getState().document)];
    actions.apply((doc, id) => addNodeOfKind(doc, 'Preview', { x: 10, y: 20 }, id));
    expect(store.getState().selection.nodes).toEqual(['preview']);
    states.push(serializeDocument(store.getState().document));
    expect(
      actions.connect({ source: 'fake_B', sourcePort: 'out', target: 'preview', targetPort: 'in' }),
    ).toBe(true);
    states.push(serializeDocument(store.getState().document));
    actions.undo();
    actions.undo();
    expect(serializeDocument(store.getState().document)).toBe(states[0]);
    actions.redo();
    actions.redo();
    expect(serializeDocument(store.getState().document)).toBe(states[2]);
    actions.redo();
    expect(store.getState().past).toHaveLength(2);
  });

  test('rewiring a taken input is one undoable step that names the edge it replaced', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    const before = serializeDocument(store.getState().document);
    expect(
      actions.connect({ source: 'data', sourcePort: 'real_B', target: 'fake_B', targetPort: 'in' }),
    ).toBe(true);
    const into = store.getState().document.edges.filter((e) => e.target === 'fake_B');
    expect(into.map((e) => `${e.source}.${e.sourcePort}`)).toEqual(['data.real_B']);
    expect(store.getState().notice).toMatchObject({
      tone: 'info',
      text: 'fake_B.in now comes from data.real_B (was data.real_A)',
    });
    actions.undo();
    expect(serializeDocument(store.getState().document)).toBe(before);
  });

  test('a refused edit changes nothing and says why', () => {
    const store = createEditorStore(template());
    const before = store.getState().document;
    const ok = store.getState().actions.connect({
      source: 'data',
      sourcePort: 'real_A',
      target: 'opt_G',
      targetPort: 'loss',
    });
    expect(ok).toBe(false);
    expect(store.getState().document).toBe(before);
    expect(store.getState().past).toHaveLength(0);
    expect(store.getState().notice).toMatchObject({ tone: 'error' });
  });

  test('a drag is one step, committed when it stops', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    actions.setDragging({ data: { x: 1, y: 1 } });
    actions.setDragging({ data: { x: 2, y: 2 }, fake_B: { x: 3, y: 3 } });
    expect(store.getState().past).toHaveLength(0);
    actions.commitDrag(store.getState().dragging!);
    expect(store.getState().past).toHaveLength(1);
    expect(store.getState().dragging).toBeNull();
    expect(store.getState().document.nodes.find((n) => n.id === 'fake_B')?.position).toEqual({
      x: 3,
      y: 3,
    });
  });

  test('a paste is one step and selects what it pasted; pasting again cascades', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    actions.select({ nodes: ['fake_B', 'rec_A'], edges: [] });
    actions.copySelection();
    actions.paste();
    expect(store.getState().past).toHaveLength(1);
    expect(store.getState().selection.nodes).toEqual(['fake_B_2', 'rec_A_2']);
    actions.paste();
    const nodes = store.getState().document.nodes;
    const y = (id: string) => nodes.find((n) => n.id === id)!.position!.y;
    expect(y('fake_B_3') - y('fake_B_2')).toBe(40);
  });

  test('a copy from another document pastes with its network and variables, in one step', () => {
    const source = createEditorStore(template());
    source.getState().actions.select({ nodes: ['pred_fake_B', 'pred_real_B', 'D_A'], edges: [] });
    const text = source.getState().actions.copySelection()!;
    expect(source.getState().notice?.text).toBe('Copied 3 nodes');

    const target = createEditorStore(template('dcgan'));
    const { actions } = target.getState();
    actions.pasteText(text);
    const state = target.getState();
    expect(state.past).toHaveLength(1);
    expect(state.selection.nodes).toEqual(['pred_fake_B', 'pred_real_B', 'D_A']);
    expect(state.document.networks.map((n) => n.id)).toEqual(['G', 'D', 'D_A']);
    expect(state.notice?.text).toBe(
      'Pasted 3 nodes, network D_A, variables n_layers_D, norm, gan_mode',
    );
    // The paste is now the in-app clipboard too: pasting again (Ctrl+V with no paste event, or
    // the same text) cascades, and the network is there already.
    actions.pasteText(text);
    actions.paste();
    expect(target.getState().document.networks.map((n) => n.id)).toEqual(['G', 'D', 'D_A']);
    expect(target.getState().notice?.text).toBe('Pasted 3 nodes');
    const y = (id: string) =>
      target.getState().document.nodes.find((n) => n.id === id)!.position!.y;
    expect(y('pred_fake_B_3') - y('pred_fake_B_2')).toBe(40);
    actions.undo();
    actions.undo();
    actions.undo();
    expect(target.getState().document).toEqual({
      ...template('dcgan'),
      id: target.getState().document.id,
    });
  });

  test('text that is not a copy from an editor pastes what the editor copied', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    actions.pasteText('hello');
    expect(store.getState().past).toHaveLength(0);
    actions.select({ nodes: ['fake_B'], edges: [] });
    actions.copySelection();
    actions.pasteText('hello');
    actions.pasteText('{"format": "ganvas-clipboard", "version": 2}');
    expect(store.getState().document.nodes.map((n) => n.id)).toContain('fake_B_3');
    expect(store.getState().past).toHaveLength(2);
  });

  test('deleting the selection removes nodes and edges in one step', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    actions.select({ nodes: ['show_fake_B'], edges: ['data.real_A->fake_B.in'] });
    actions.deleteSelection();
    const doc = store.getState().document;
    expect(doc.nodes.some((n) => n.id === 'show_fake_B')).toBe(false);
    expect(doc.edges.some((e) => e.source === 'data' && e.target === 'fake_B')).toBe(false);
    expect(store.getState().past).toHaveLength(1);
    expect(store.getState().selection).toEqual({ nodes: [], edges: [] });
  });

  test('an edit inside a preset network writes it out in the same step; undo brings the preset back', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    actions.openNetwork('G_A', 'fake_B');
    actions.apply((doc, id) => setParam(doc, 'model.1', 'stride', 2, id));
    const network = store.getState().document.networks.find((n) => n.id === 'G_A')!;
    expect(network.preset).toBeUndefined();
    // Written-out layers are placed as they were drawn, in columns.
    const xs = new Set(network.body!.nodes.map((n) => n.position!.x));
    expect(xs.size).toBeGreaterThan(1);
    expect(store.getState().past).toHaveLength(1);
    actions.undo();
    expect(store.getState().document.networks.find((n) => n.id === 'G_A')!.preset).toBeDefined();
    expect(store.getState().networkId).toBe('G_A');
  });

  test('an edit that changes nothing is no step and writes nothing out', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    actions.openNetwork('G_A');
    actions.apply((doc) => doc);
    expect(store.getState().past).toHaveLength(0);
    expect(store.getState().document.networks[0]!.preset).toBeDefined();
  });

  test('document-wide edits work from inside a network', () => {
    const store = createEditorStore(template());
    const { actions } = store.getState();
    actions.openNetwork('D_A');
    actions.applyToDocument((doc) => setVariable(doc, 'ndf', 32));
    expect(store.getState().document.variables.ndf!.value).toBe(32);
    expect(store.getState().document.networks.find((n) => n.id === 'D_A')!.preset).toBeDefined();
  });
});
