import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDocument, checkGraph } from './check';
import { parseDocument, serializeDocument, type GraphDocument } from './document';

const template = readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8');

function cyclegan(): GraphDocument {
  const parsed = parseDocument(template);
  if (!parsed.ok) throw new Error('template does not parse');
  return structuredClone(parsed.document);
}

const edge = (result: ReturnType<typeof checkGraph>, key: string) =>
  result.inference!.edges.get(key)?.join('×');

describe('CycleGAN template shapes', () => {
  const result = checkGraph(template);

  it('is valid at the reference size', () => {
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('translates 256×256 images and judges 30×30 patches', () => {
    expect(edge(result, 'data.real_A->fake_B.in')).toBe('1×256×256×3');
    expect(edge(result, 'fake_B.out->rec_A.in')).toBe('1×256×256×3');
    expect(edge(result, 'pred_real_B.out->D_A.real')).toBe('1×30×30×1');
    expect(edge(result, 'pred_pool_B.out->D_A.fake')).toBe('1×30×30×1');
  });

  it('gives every application of a network its own shapes inside the network', () => {
    const g = result.inference!.networks.get('G_A')!;
    expect([...g.applications.keys()].sort()).toEqual(['fake_B', 'rec_B', 'same_B']);
    const body = g.applications.get('fake_B')!;
    expect(body.edges.get('model.9.out->model.10.in')!.join('×')).toBe('1×64×64×256');
    expect(body.output!.join('×')).toBe('1×256×256×3');
  });

  it('counts the weights as the reference does (G 11.378 M, D 2.765 M)', () => {
    // The reference implementation prints these for ResNet-9 ngf 64 and the 70×70 PatchGAN.
    expect(result.inference!.networks.get('G_A')!.parameterCount).toBe(11_378_179);
    expect(result.inference!.networks.get('D_A')!.parameterCount).toBe(2_764_737);
  });

  it('follows the graph variables', () => {
    const small = checkGraph(template, { size: '32', ngf: '8', n_blocks: '2' });
    expect(edge(small, 'data.real_A->fake_B.in')).toBe('1×32×32×3');
    expect(edge(small, 'pred_real_B.out->D_A.real')).toBe('1×2×2×1');
    const batched = checkGraph(template, { batch_size: '4', size: '128' });
    expect(edge(batched, 'pred_real_B.out->D_A.real')).toBe('4×14×14×1');
  });
});

describe('editing changes shapes downstream and pins problems in place', () => {
  it('a stride in the first layer of a network changes every shape after it', () => {
    const doc = cyclegan();
    const net = doc.networks.find((n) => n.id === 'D_A')!;
    net.preset = undefined;
    // Make D_A explicit layers, then give its first conv stride 4.
    const expanded = checkDocument(cyclegan()).graph!.networks.find((n) => n.id === 'D_A')!;
    net.body = {
      nodes: expanded.body.nodes.map((n) => ({ id: n.id, kind: n.kind.kind, params: n.params })),
      edges: expanded.body.edges.map(({ source, sourcePort, target, targetPort }) => ({
        source,
        sourcePort,
        target,
        targetPort,
      })),
    };
    delete net.preset;
    const before = checkDocument(doc);
    expect(before.valid).toBe(true);
    net.body.nodes.find((n) => n.id === 'model.0')!.params!.stride = 4;
    const after = checkDocument(doc);
    expect(after.valid).toBe(true);
    const body = (r: typeof before) =>
      r.inference!.networks.get('D_A')!.applications.get('pred_real_B')!;
    expect(body(before).edges.get('model.0.out->model.1.in')!.join('×')).toBe('1×128×128×64');
    expect(body(after).edges.get('model.0.out->model.1.in')!.join('×')).toBe('1×64×64×64');
    expect(body(after).edges.get('model.10.out->model.11.in')!.join('×')).toBe('1×15×15×512');
    expect(after.inference!.edges.get('pred_real_B.out->D_A.real')!.join('×')).toBe('1×14×14×1');
  });

  it('a generator output wired into a loss target of another shape is reported at that port', () => {
    const doc = cyclegan();
    // D_A's scores (1×30×30×1) as the target of the cycle loss, which compares with images.
    const e = doc.edges.findIndex((x) => x.target === 'cycle_A' && x.targetPort === 'target');
    doc.edges[e] = {
      source: 'pred_real_B',
      sourcePort: 'out',
      target: 'cycle_A',
      targetPort: 'target',
    };
    const result = checkDocument(doc);
    expect(result.valid).toBe(false);
    const problem = result.problems.find((p) => p.nodeId === 'cycle_A')!;
    expect(problem).toMatchObject({ port: 'target', path: `edges[${e}]` });
    expect(problem.message).toContain(
      '"target" must have the shape of "input" (1×256×256×3), received 1×30×30×1',
    );
  });

  it('a network too deep for its input names the layer and the sizes', () => {
    const result = checkGraph(template, { size: '16' });
    expect(result.valid).toBe(false);
    const inside = result.problems.find((p) => p.networkId === 'D_A')!;
    expect(inside.nodeId).toBe('model.11');
    expect(inside.message).toContain('too small for a 4×4 kernel');
  });

  it('a loss wired to no optimizer, and a network no optimizer updates, are problems', () => {
    const doc = cyclegan();
    doc.edges = doc.edges.filter((e) => !(e.source === 'cycle_B' && e.target === 'opt_G'));
    const opt = doc.nodes.find((n) => n.id === 'opt_D')!;
    opt.params!.networks = ['D_A'];
    const messages = checkDocument(doc).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toContain(
      'nodes[20]: loss "cycle_B" is not wired to any optimizer, so nothing minimizes it',
    );
    expect(messages).toContain('networks[3]: network "D_B" is not updated by any optimizer');
    expect(
      messages.some((m) =>
        m.includes('loss "D_B" does not depend on any network optimizer "opt_D" updates'),
      ),
    ).toBe(true);
  });
});

describe('taps: a network application also gives the outputs of the layers it names', () => {
  const ebgan = () => {
    const parsed = parseDocument(
      readFileSync(new URL('../../templates/ebgan.json', import.meta.url), 'utf8'),
    );
    if (!parsed.ok) throw new Error('the EBGAN template does not parse');
    return structuredClone(parsed.document);
  };
  const setTaps = (doc: GraphDocument, node: string, taps: unknown) => {
    doc.nodes.find((n) => n.id === node)!.params!.taps = taps;
  };
  const outputs = (result: ReturnType<typeof checkDocument>, node: string) =>
    Object.fromEntries(
      Object.entries(result.inference!.nodes.get(node)!.outputs).map(([port, s]) => [
        port,
        s.join('×'),
      ]),
    );

  it("the autoencoder's layers, in the shapes of this application (EBGAN at 32×32, batch 64)", () => {
    const doc = ebgan();
    setTaps(doc, 'energy_fake', ['down.1', 'flatten', 'fc.0', 'up.1', 'energy']);
    const result = checkDocument(doc);
    expect(result.problems).toEqual([]);
    expect(outputs(result, 'energy_fake')).toEqual({
      out: '64×1',
      'down.1': '64×16×16×64',
      flatten: '64×16384',
      'fc.0': '64×32',
      'up.1': '64×32×32×1',
      energy: '64×1',
    });
    // The other application of D taps nothing.
    expect(Object.keys(outputs(result, 'energy_real'))).toEqual(['out']);
    const ports = result.graph!.nodes.find((n) => n.id === 'energy_fake')!.outputs;
    expect(ports.map((p) => `${p.name}:${p.type}`)).toEqual([
      'out:feature',
      'down.1:feature',
      'flatten:feature',
      'fc.0:feature',
      'up.1:feature',
      'energy:feature',
    ]);
  });

  it('the template wires the embedding tap to the pull-away term', () => {
    const result = checkDocument(ebgan(), { batch_size: 8, code: 16 });
    expect(result.valid).toBe(true);
    expect(edge(result, 'energy_fake.fc.0->pullaway.embeddings')).toBe('8×16');
  });

  it('PatchGAN and ResNet layers, following the graph variables', () => {
    const doc = cyclegan();
    setTaps(doc, 'pred_fake_B', ['model.1', 'model.4', 'model.10']);
    setTaps(doc, 'fake_B', ['model.3']);
    const full = checkDocument(doc);
    expect(full.problems).toEqual([]);
    expect(outputs(full, 'pred_fake_B')).toEqual({
      out: '1×30×30×1',
      'model.1': '1×128×128×64',
      'model.4': '1×64×64×128',
      'model.10': '1×31×31×512',
    });
    expect(outputs(full, 'fake_B')['model.3']).toBe('1×256×256×64');
    const small = checkDocument(doc, { size: '32', batch_size: '2', ndf: '8' });
    expect(outputs(small, 'pred_fake_B')).toEqual({
      out: '2×2×2×1',
      'model.1': '2×16×16×8',
      'model.4': '2×8×8×16',
      'model.10': '2×3×3×64',
    });
  });

  it('a tap naming no layer is a problem at its place, listing the layers there are', () => {
    const doc = ebgan();
    setTaps(doc, 'energy_fake', ['fc.0', 'embedding']);
    const result = checkDocument(doc);
    expect(result.valid).toBe(false);
    const at = doc.nodes.findIndex((n) => n.id === 'energy_fake');
    expect(result.problems).toEqual([
      {
        nodeId: 'energy_fake',
        path: `nodes[${at}].params.taps[1]`,
        code: 'param',
        message:
          'energy_fake.taps: network "D" has no layer "embedding" to tap; its layers: down.0, ' +
          'down.1, flatten, fc.0, fc.1, fc.2, fc.3, fc.4, fc.5, view, up.0, up.1, energy',
      },
    ]);
  });

  it('what an unknown tap feeds is not reported again', () => {
    const doc = ebgan();
    setTaps(doc, 'energy_fake', ['embedding']);
    const e = doc.edges.find((x) => x.target === 'pullaway')!;
    e.sourcePort = 'embedding';
    const problems = checkDocument(doc).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toMatch(/params\.taps\[0\]$/);
  });

  it('a layer tapped twice, or the network input and output, are problems of the param', () => {
    const doc = ebgan();
    const at = doc.nodes.findIndex((n) => n.id === 'energy_fake');
    setTaps(doc, 'energy_fake', ['fc.0', 'fc.0']);
    expect(checkDocument(doc).problems).toContainEqual(
      expect.objectContaining({
        path: `nodes[${at}].params.taps`,
        message: 'a layer is tapped twice',
      }),
    );
    setTaps(doc, 'energy_fake', ['fc.0', 'input', 'output']);
    const messages = checkDocument(doc).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      expect.stringContaining(
        `nodes[${at}].params.taps[1]: energy_fake.taps: network "D" has no layer "input"`,
      ),
      expect.stringContaining(
        `nodes[${at}].params.taps[2]: energy_fake.taps: network "D" has no layer "output"`,
      ),
    ]);
  });

  it('a document saved with taps reads back the same, with the same shapes', () => {
    const doc = cyclegan();
    setTaps(doc, 'pred_fake_B', ['model.4', 'model.7']);
    const text = serializeDocument(doc);
    expect(text).toContain('"taps": [');
    const read = parseDocument(text);
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    expect(read.document).toEqual(doc);
    expect(serializeDocument(read.document)).toBe(text);
    expect(outputs(checkDocument(read.document), 'pred_fake_B')).toEqual(
      outputs(checkDocument(doc), 'pred_fake_B'),
    );
  });
});
