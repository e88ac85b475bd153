import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkDocument } from './check';
import { parseDocument, type GraphDocument } from './document';
import {
  addNode,
  checkConnection,
  connect,
  containerOf,
  copyNodes,
  disconnect,
  duplicateNodes,
  freshNodeId,
  materializeNetworkBody,
  moveNodes,
  nodePorts,
  pasteNodes,
  removeNodes,
  renameNode,
  setNetworkPreset,
  setParam,
  setPresetParam,
  setVariable,
} from './edits';
import { edgeKey } from './resolve';

function template(): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, '../../templates/cyclegan.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the CycleGAN template does not parse');
  return parsed.document;
}

/** Freezes a document all the way down, so that an edit that writes into it throws. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) frozen(v);
    Object.freeze(value);
  }
  return value;
}

const edge = (source: string, sourcePort: string, target: string, targetPort: string) => ({
  source,
  sourcePort,
  target,
  targetPort,
});

describe('connection rules', () => {
  const doc = frozen(template());
  const withPreview = addNode(doc, { id: 'look', kind: 'Preview', position: { x: 0, y: 0 } });

  test('an image goes into a free image input', () => {
    const result = connect(withPreview, edge('fake_B', 'out', 'look', 'in'));
    expect(result.ok).toBe(true);
    if (result.ok)
      expect(result.document.edges.at(-1)).toEqual(edge('fake_B', 'out', 'look', 'in'));
  });

  test('a loss goes only into an optimizer', () => {
    const verdict = checkConnection(withPreview, edge('cycle_A', 'loss', 'look', 'in'));
    expect(verdict).toEqual({
      ok: false,
      reason: expect.stringContaining(`a loss can only go into an optimizer's "loss" input`),
    });
  });

  test("an optimizer's loss input refuses a tensor and takes several losses", () => {
    expect(checkConnection(doc, edge('data', 'real_A', 'opt_G', 'loss'))).toEqual({
      ok: false,
      reason: expect.stringContaining('takes a loss term, not an image tensor'),
    });
    const more = addNode(doc, { id: 'extra', kind: 'Loss', params: { type: 'l1' } });
    expect(checkConnection(more, edge('extra', 'loss', 'opt_G', 'loss')).ok).toBe(true);
  });

  test('wiring into a single input that has an edge replaces that edge, and says which', () => {
    expect(checkConnection(doc, edge('data', 'real_B', 'fake_B', 'in'))).toEqual({
      ok: true,
      replaces: edge('data', 'real_A', 'fake_B', 'in'),
    });
    const result = connect(doc, edge('data', 'real_B', 'fake_B', 'in'));
    if (!result.ok) throw new Error(result.reason);
    expect(result.replaced).toEqual(edge('data', 'real_A', 'fake_B', 'in'));
    const into = result.document.edges.filter((e) => e.target === 'fake_B');
    expect(into).toEqual([edge('data', 'real_B', 'fake_B', 'in')]);
    expect(result.document.edges).toHaveLength(doc.edges.length);
  });

  test('an input that takes many edges keeps them all', () => {
    const more = addNode(doc, { id: 'extra', kind: 'Loss', params: { type: 'l1' } });
    const result = connect(more, edge('extra', 'loss', 'opt_G', 'loss'));
    if (!result.ok) throw new Error(result.reason);
    expect(result.replaced).toBeUndefined();
    const into = (d: GraphDocument) => d.edges.filter((e) => e.target === 'opt_G').length;
    expect(into(result.document)).toBe(into(more) + 1);
  });

  test('a replacing edge that would close a cycle is refused', () => {
    expect(checkConnection(doc, edge('rec_A', 'out', 'fake_B', 'in'))).toEqual({
      ok: false,
      reason: 'this edge would close a cycle: fake_B → rec_A → fake_B',
    });
  });

  test('the same edge twice is refused', () => {
    const result = connect(doc, edge('data', 'real_A', 'fake_B', 'in'));
    expect(result.ok).toBe(false);
  });

  test('an edge that would close a cycle is refused, with the cycle', () => {
    const freed = disconnect(doc, [edgeKey(edge('data', 'real_A', 'fake_B', 'in'))]);
    expect(checkConnection(freed, edge('rec_A', 'out', 'fake_B', 'in'))).toEqual({
      ok: false,
      reason: 'this edge would close a cycle: fake_B → rec_A → fake_B',
    });
  });

  test('ports that do not exist are refused, listing those that do', () => {
    expect(checkConnection(doc, edge('data', 'real_C', 'fake_B', 'in')).ok).toBe(false);
    expect(checkConnection(withPreview, edge('fake_B', 'out', 'look', 'image'))).toEqual({
      ok: false,
      reason: `"look" has no input "image"; its inputs: "in"`,
    });
    expect(checkConnection(doc, edge('fake_B', 'out', 'fake_B', 'in'))).toEqual({
      ok: false,
      reason: 'a node cannot feed itself',
    });
  });

  test("a loss's ports follow its type as the variables resolve it", () => {
    // D_A's type is "=gan_mode" (lsgan): a discriminator's adversarial term judges "real" and
    // "fake" scores; G_A, the generator's term, has only "real"; neither has an L1 "target".
    const ports = (id: string, gan_mode: string) =>
      nodePorts(
        doc.nodes.find((n) => n.id === id)!,
        { gan_mode },
      ).inputs.map((p) => p.name);
    expect(ports('D_A', 'lsgan')).toEqual(['real', 'fake']);
    expect(ports('G_A', 'lsgan')).toEqual(['real']);
    expect(checkConnection(doc, edge('pred_real_B', 'out', 'G_A', 'fake')).ok).toBe(false);
    expect(checkConnection(doc, edge('pred_real_B', 'out', 'D_A', 'target')).ok).toBe(false);
  });

  test('inside a network, layers are wired by the same rules', () => {
    const body = addNode(doc, { id: 'extra', kind: 'InstanceNorm' }, 'G_A');
    expect(checkConnection(body, edge('model.27', 'out', 'extra', 'in'), 'G_A').ok).toBe(true);
    expect(checkConnection(body, edge('extra', 'out', 'model.1', 'in'), 'G_A')).toEqual({
      ok: true,
      replaces: edge('model.0', 'out', 'model.1', 'in'),
    });
    const wired = connect(body, edge('model.27', 'out', 'extra', 'in'), 'G_A');
    if (!wired.ok) throw new Error(wired.reason);
    expect(checkConnection(wired.document, edge('extra', 'out', 'model.1', 'in'), 'G_A')).toEqual({
      ok: false,
      reason: expect.stringContaining('this edge would close a cycle'),
    });
  });
});

describe('edits', () => {
  const doc = frozen(template());

  test('leave the document they are given untouched', () => {
    const before = JSON.stringify(doc);
    removeNodes(doc, ['fake_B']);
    setParam(doc, 'model.1', 'stride', 2, 'G_A');
    moveNodes(doc, { data: { x: 5, y: 5 } });
    expect(JSON.stringify(doc)).toBe(before);
  });

  test('removing nodes removes their edges', () => {
    const next = removeNodes(doc, ['fake_B']);
    expect(next.nodes.some((n) => n.id === 'fake_B')).toBe(false);
    expect(next.edges.some((e) => e.source === 'fake_B' || e.target === 'fake_B')).toBe(false);
    expect(next.edges.length).toBe(doc.edges.length - 5);
  });

  test('moving nodes changes positions only', () => {
    const next = moveNodes(doc, { data: { x: 5, y: 7 } });
    expect(next.nodes.find((n) => n.id === 'data')?.position).toEqual({ x: 5, y: 7 });
    expect(next.edges).toBe(doc.edges);
  });

  test('a param set to undefined goes back to its default', () => {
    const set = setParam(doc, 'opt_G', 'lr', 0.001);
    expect(set.nodes.find((n) => n.id === 'opt_G')?.params?.lr).toBe(0.001);
    const cleared = setParam(set, 'opt_G', 'lr', undefined);
    expect(cleared.nodes.find((n) => n.id === 'opt_G')?.params).not.toHaveProperty('lr');
  });

  test('editing a layer of a preset network writes the preset out with concrete params', () => {
    const next = setParam(doc, 'model.1', 'stride', 2, 'G_A');
    const network = next.networks.find((n) => n.id === 'G_A')!;
    expect(network.preset).toBeUndefined();
    const conv = network.body!.nodes.find((n) => n.id === 'model.1')!;
    expect(conv.params).toMatchObject({ filters: 64, kernel: 7, stride: 2 });
    // The other generator still follows the variables.
    expect(next.networks.find((n) => n.id === 'G_B')!.preset).toBeDefined();
    const check = checkDocument(next);
    expect(check.inference!.edges.get('fake_B.out->rec_A.in')).toEqual([1, 128, 128, 3]);
  });

  test('materializing keeps the shapes and the parameter count', () => {
    const before = checkDocument(doc);
    const after = checkDocument(materializeNetworkBody(doc, 'D_A', { 'model.0': { x: 1, y: 2 } }));
    expect(after.problems).toEqual([]);
    expect(after.inference!.networks.get('D_A')!.parameterCount).toBe(
      before.inference!.networks.get('D_A')!.parameterCount,
    );
    expect(after.inference!.edges).toEqual(before.inference!.edges);
  });

  test('switching a preset replaces written-out layers', () => {
    const written = materializeNetworkBody(doc, 'G_A');
    const next = setNetworkPreset(written, 'G_A', 'unet', { num_downs: 8, ngf: '=ngf' });
    expect(next.networks.find((n) => n.id === 'G_A')).toMatchObject({
      preset: { name: 'unet', params: { num_downs: 8, ngf: '=ngf' } },
    });
    expect(next.networks.find((n) => n.id === 'G_A')!.body).toBeUndefined();
    expect(containerOf(next, 'G_A').nodes.some((n) => n.kind === 'Concat')).toBe(true);
    expect(checkDocument(next).inference!.edges.get('fake_B.out->rec_A.in')).toEqual([
      1, 256, 256, 3,
    ]);
    const fewer = setPresetParam(next, 'G_A', 'num_downs', 7);
    expect(fewer.networks.find((n) => n.id === 'G_A')!.preset!.params!.num_downs).toBe(7);
  });

  test('renaming a node renames its edges; a taken or malformed id is refused', () => {
    const renamed = renameNode(doc, 'fake_B', 'translated_B');
    expect(renamed.ok).toBe(true);
    if (!renamed.ok) return;
    expect(renamed.document.edges.filter((e) => e.source === 'translated_B')).toHaveLength(
      doc.edges.filter((e) => e.source === 'fake_B').length,
    );
    expect(renameNode(doc, 'fake_B', 'rec_A')).toEqual({
      ok: false,
      reason: 'there is already a node "rec_A"',
    });
    expect(renameNode(doc, 'fake_B', '2fast').ok).toBe(false);
  });

  test('renaming a tapped layer renames the taps of its applications and their edges', () => {
    let tapping = setParam(doc, 'pred_fake_B', 'taps', ['model.4', 'model.7']);
    tapping = setParam(tapping, 'pred_real_B', 'taps', ['model.4']);
    tapping = addNode(tapping, { id: 'features', kind: 'Loss', params: { type: 'l1' } });
    const wired = connect(tapping, edge('pred_fake_B', 'model.4', 'features', 'input'));
    if (!wired.ok) throw new Error(wired.reason);
    const renamed = renameNode(wired.document, 'model.4', 'features.4', 'D_A');
    if (!renamed.ok) throw new Error(renamed.reason);
    const taps = (id: string) => renamed.document.nodes.find((n) => n.id === id)!.params!.taps;
    expect(taps('pred_fake_B')).toEqual(['features.4', 'model.7']);
    expect(taps('pred_real_B')).toEqual(['features.4']);
    expect(renamed.document.edges).toContainEqual(
      edge('pred_fake_B', 'features.4', 'features', 'input'),
    );
    expect(checkDocument(renamed.document).inference!.nodes.get('pred_fake_B')!.outputs).toEqual({
      out: [1, 30, 30, 1],
      'features.4': [1, 64, 64, 128],
      'model.7': [1, 32, 32, 256],
    });
    // Another network's applications keep their taps.
    const other = renameNode(wired.document, 'model.4', 'features.4', 'D_B');
    if (!other.ok) throw new Error(other.reason);
    expect(other.document.nodes.find((n) => n.id === 'pred_fake_B')!.params!.taps).toEqual([
      'model.4',
      'model.7',
    ]);
  });

  test('a pasted copy has fresh ids and the edges among the copied nodes', () => {
    const clipboard = copyNodes(doc, ['fake_B', 'rec_A', 'cycle_A']);
    expect(clipboard.edges).toEqual([
      edge('fake_B', 'out', 'rec_A', 'in'),
      edge('rec_A', 'out', 'cycle_A', 'input'),
    ]);
    const pasted = pasteNodes(doc, clipboard);
    expect(pasted.ok).toBe(true);
    if (!pasted.ok) return;
    expect(pasted.ids).toEqual(['fake_B_2', 'rec_A_2', 'cycle_A_2']);
    expect(pasted.document.edges.slice(-2)).toEqual([
      edge('fake_B_2', 'out', 'rec_A_2', 'in'),
      edge('rec_A_2', 'out', 'cycle_A_2', 'input'),
    ]);
    // A copy of an application applies the same network: it shares its weights.
    const copy = pasted.document.nodes.find((n) => n.id === 'fake_B_2')!;
    expect(copy.params?.network).toBe('G_A');
    expect(copy.position).toEqual({ x: 340, y: 40 + doc.nodes[1]!.position!.y });
  });

  test('layers do not paste into the training graph', () => {
    const layers = copyNodes(doc, ['model.1', 'model.2'], 'G_A');
    expect(layers.nodes).toHaveLength(2);
    expect(pasteNodes(doc, layers)).toEqual({
      ok: false,
      reason: 'layers belong inside a network: open one to paste them',
    });
    const inside = pasteNodes(doc, layers, 'D_A');
    expect(inside.ok).toBe(true);
    if (inside.ok) expect(containerOf(inside.document, 'D_A').nodes.at(-1)?.id).toBe('model.2_2');
  });

  test('duplicating twice gives two more copies', () => {
    const once = duplicateNodes(doc, ['data']);
    if (!once.ok) throw new Error(once.reason);
    const twice = duplicateNodes(once.document, ['data']);
    if (!twice.ok) throw new Error(twice.reason);
    expect(twice.document.nodes.filter((n) => n.kind === 'Dataset').map((n) => n.id)).toEqual([
      'data',
      'data_2',
      'data_3',
    ]);
  });

  test('fresh ids never clash', () => {
    expect(freshNodeId(containerOf(doc), 'conv')).toBe('conv');
    expect(freshNodeId(containerOf(doc), 'data')).toBe('data_2');
    expect(freshNodeId(containerOf(doc), '3d')).toBe('_3d');
  });

  test('variables are set and declared', () => {
    const next = setVariable(doc, 'size', 128);
    expect(next.variables.size).toEqual({ ...doc.variables.size, value: 128 });
    expect(setVariable(doc, 'depth', 4, 'How deep').variables.depth).toEqual({
      value: 4,
      description: 'How deep',
    });
    expect(checkDocument(next).inference!.edges.get('data.real_A->fake_B.in')).toEqual([
      1, 128, 128, 3,
    ]);
  });
});
