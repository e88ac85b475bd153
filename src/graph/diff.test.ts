import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeChange, diffGraphs, type DiffSide } from './diff';
import { parseDocument, type GraphDocument } from './document';
import { expandPreset } from './presets';

function template(name: string): GraphDocument {
  const parsed = parseDocument(
    readFileSync(new URL(`../../templates/${name}.json`, import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`templates/${name}.json does not parse`);
  return parsed.document;
}

const lines = (a: DiffSide, b: DiffSide) => diffGraphs(a, b).map(describeChange);
const clone = (doc: GraphDocument): GraphDocument => structuredClone(doc);

describe('diffGraphs', () => {
  const cyclegan = template('cyclegan');

  it('finds nothing between a graph and itself, nor when only positions, labels and the name differ', () => {
    const moved = clone(cyclegan);
    moved.name = 'Renamed';
    for (const node of moved.nodes) node.position = { x: 1, y: 2 };
    moved.nodes[0]!.label = 'another label';
    moved.networks[0]!.color = '#000000';
    expect(lines({ document: cyclegan }, { document: clone(cyclegan) })).toEqual([]);
    expect(lines({ document: cyclegan }, { document: moved })).toEqual([]);
  });

  it('names the DiscoGAN losses: cycle types, the adversarial mode, the identity weight', () => {
    const changes = lines({ document: cyclegan }, { document: template('cyclegan-discoloss') });
    expect(changes).toEqual([
      'gan_mode: lsgan → vanilla',
      'lambda_identity: 0.5 → 0',
      'idt_A: weight 5 → 0 (=lambda_B*lambda_identity)',
      'idt_B: weight 5 → 0 (=lambda_A*lambda_identity)',
      'G_A: type lsgan → vanilla (=gan_mode)',
      'G_B: type lsgan → vanilla (=gan_mode)',
      'cycle_A: type l1 → l2',
      'cycle_B: type l1 → l2',
      'D_A: type lsgan → vanilla (=gan_mode)',
      'D_B: type lsgan → vanilla (=gan_mode)',
    ]);
  });

  it('counts a param written as its default as the default (role left out is "discriminator")', () => {
    const explicit = clone(cyclegan);
    explicit.nodes.find((n) => n.id === 'D_A')!.params!.role = 'discriminator';
    expect(lines({ document: cyclegan }, { document: explicit })).toEqual([]);
  });

  it('shows a variable override at the network params it moves', () => {
    expect(
      lines({ document: cyclegan }, { document: cyclegan, overrides: { n_blocks: 6 } }),
    ).toEqual([
      'n_blocks: 9 → 6',
      'G_A: n_blocks 9 → 6 (=n_blocks)',
      'G_B: n_blocks 9 → 6 (=n_blocks)',
    ]);
  });

  it('says a written value replaced an expression, with both values', () => {
    const edited = clone(cyclegan);
    edited.nodes.find((n) => n.id === 'G_A')!.params!.type = 'vanilla';
    edited.nodes.find((n) => n.id === 'G_B')!.params!.type = 'lsgan';
    expect(lines({ document: cyclegan }, { document: edited })).toEqual([
      'G_A: type lsgan → vanilla (written =gan_mode → vanilla)',
      'G_B: type =gan_mode → lsgan (both lsgan)',
    ]);
  });

  it('names nodes added and removed, and a wire moved to another source', () => {
    const edited = clone(cyclegan);
    edited.nodes = edited.nodes.filter((n) => n.id !== 'show_rec_A');
    edited.edges = edited.edges.filter((e) => e.target !== 'show_rec_A');
    edited.nodes.push({ id: 'extra', kind: 'Preview' });
    edited.edges.push({ source: 'fake_A', sourcePort: 'out', target: 'extra', targetPort: 'in' });
    const into = edited.edges.find((e) => e.target === 'cycle_A' && e.targetPort === 'input')!;
    into.source = 'fake_B';
    expect(lines({ document: cyclegan }, { document: edited })).toEqual([
      'show_rec_A: removed (Preview)',
      'extra: added (Preview)',
      'wire into cycle_A.input: rec_A.out → fake_B.out',
      'wire: removed rec_A.out → show_rec_A.in',
      'wire: added fake_A.out → extra.in',
    ]);
  });

  it('names layers changed inside a network of its own layers', () => {
    const expanded = expandPreset('patchgan', { ndf: 8, n_layers: 2 });
    if (!expanded.ok) return expect.fail('patchgan does not expand');
    const withBody = clone(cyclegan);
    const D_A = withBody.networks.find((n) => n.id === 'D_A')!;
    delete D_A.preset;
    D_A.body = expanded.body;
    const edited = clone(withBody);
    const conv = edited.networks
      .find((n) => n.id === 'D_A')!
      .body!.nodes.find((n) => n.kind === 'Conv')!;
    conv.params = { ...conv.params, kernel: 5 };
    expect(lines({ document: withBody }, { document: edited })).toEqual([
      `D_A.${conv.id}: kernel 4 → 5`,
    ]);
    expect(lines({ document: cyclegan }, { document: withBody })).toEqual([
      'D_A: preset patchgan → its own layers',
    ]);
  });
});
