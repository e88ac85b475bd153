import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkDocument } from './check';
import {
  copyToClipboard,
  parseClipboard,
  pasteClipboard,
  serializeClipboard,
  type ClipboardPayload,
} from './clipboard';
import { parseDocument, type GraphDocument } from './document';
import { containerOf, setPresetParam, setVariable } from './edits';

function template(name: string): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, `../../templates/${name}.json`), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`the ${name} template does not parse`);
  return parsed.document;
}

function pasted(result: ReturnType<typeof pasteClipboard>) {
  if (!result.ok) throw new Error(result.reason);
  return result;
}

const cyclegan = template('cyclegan');
const dcgan = template('dcgan');
/** D_A's two judgements of domain B and its loss, from CycleGAN. */
const discriminatorA = copyToClipboard(cyclegan, ['pred_fake_B', 'pred_real_B', 'D_A']);

describe('the clipboard', () => {
  test('a copy carries exactly the networks its applications apply and the variables read', () => {
    expect(discriminatorA.format).toBe('ganvas-clipboard');
    expect(discriminatorA.nodes.map((n) => n.id)).toEqual(['pred_fake_B', 'pred_real_B', 'D_A']);
    expect(discriminatorA.edges).toEqual([
      { source: 'pred_real_B', sourcePort: 'out', target: 'D_A', targetPort: 'real' },
    ]);
    expect(discriminatorA.networks).toEqual([cyclegan.networks.find((n) => n.id === 'D_A')]);
    // D_A's preset reads ndf, n_layers_D and norm; the loss reads gan_mode. Nothing else.
    expect(discriminatorA.variables).toEqual({
      ndf: cyclegan.variables.ndf,
      n_layers_D: cyclegan.variables.n_layers_D,
      norm: cyclegan.variables.norm,
      gan_mode: cyclegan.variables.gan_mode,
    });
    const generator = copyToClipboard(cyclegan, ['fake_B', 'cycle_A']);
    expect(generator.networks.map((n) => n.id)).toEqual(['G_A']);
    expect(Object.keys(generator.variables)).toEqual(['ngf', 'n_blocks', 'norm', 'lambda_A']);
    const data = copyToClipboard(cyclegan, ['show_fake_B']);
    expect(data.networks).toEqual([]);
    expect(data.variables).toEqual({});
  });

  test('a paste into another template adds the networks and variables it lacks', () => {
    const result = pasted(pasteClipboard(dcgan, discriminatorA));
    expect(result.ids).toEqual(['pred_fake_B', 'pred_real_B', 'D_A']);
    expect(result.networks).toEqual(['D_A']);
    expect(result.variables).toEqual(['n_layers_D', 'norm', 'gan_mode']);
    const doc = result.document;
    expect(doc.networks.map((n) => n.id)).toEqual(['G', 'D', 'D_A']);
    expect(doc.networks.at(-1)).toEqual(discriminatorA.networks[0]);
    expect(doc.variables.norm).toEqual(cyclegan.variables.norm);
    expect(doc.nodes.find((n) => n.id === 'pred_real_B')?.params?.network).toBe('D_A');
    // The pasted discriminator resolves: what is left is for the user to wire.
    const problems = checkDocument(doc).problems.filter(
      (p) => p.nodeId?.startsWith('pred_') || p.networkId === 'D_A',
    );
    expect(problems.map((p) => p.message)).toEqual([
      'pred_fake_B.in: input "in" is not connected',
      'pred_real_B.in: input "in" is not connected',
      'network "D_A" is not updated by any optimizer',
    ]);
    // Without the variables, D_A's preset would not resolve.
    const without = { ...doc, variables: dcgan.variables };
    expect(checkDocument(without).problems.map((p) => p.message)).toContainEqual(
      expect.stringContaining('unknown variable "n_layers_D"'),
    );
  });

  test('a paste into an empty document brings everything the nodes need', () => {
    const empty: GraphDocument = { ...dcgan, variables: {}, networks: [], nodes: [], edges: [] };
    const doc = pasted(pasteClipboard(empty, discriminatorA)).document;
    expect(doc.networks).toEqual(discriminatorA.networks);
    expect(doc.variables).toEqual(discriminatorA.variables);
    expect(doc.nodes.map((n) => n.id)).toEqual(['pred_fake_B', 'pred_real_B', 'D_A']);
    expect(doc.edges).toHaveLength(1);
  });

  test("the target's variables keep their values", () => {
    const narrow = setVariable(dcgan, 'ndf', 16);
    const doc = pasted(pasteClipboard(narrow, discriminatorA)).document;
    expect(doc.variables.ndf).toEqual({ ...dcgan.variables.ndf, value: 16 });
    expect(cyclegan.variables.ndf!.value).toBe(64);
  });

  test('a network the target has with the same definition is reused: the weights are shared', () => {
    const result = pasted(pasteClipboard(cyclegan, discriminatorA));
    expect(result.networks).toEqual([]);
    expect(result.variables).toEqual([]);
    expect(result.document.networks).toEqual(cyclegan.networks);
    expect(result.ids).toEqual(['pred_fake_B_2', 'pred_real_B_2', 'D_A_2']);
    const copy = result.document.nodes.find((n) => n.id === 'pred_fake_B_2');
    expect(copy?.params?.network).toBe('D_A');
    // Label and colour are looks, not the network's definition.
    const recoloured: GraphDocument = {
      ...cyclegan,
      networks: cyclegan.networks.map((n) => (n.id === 'D_A' ? { ...n, color: '#000000' } : n)),
    };
    expect(pasted(pasteClipboard(recoloured, discriminatorA)).networks).toEqual([]);
  });

  test('a different network of the same id gets a fresh id and the applications follow it', () => {
    const critic = copyToClipboard(dcgan, ['pred_fake', 'pred_real', 'D_loss', 'opt_D']);
    expect(critic.networks.map((n) => n.id)).toEqual(['D']);
    const wider = setPresetParam(dcgan, 'D', 'ndf', 128);
    const result = pasted(pasteClipboard(wider, critic));
    expect(result.networks).toEqual(['D_2']);
    const doc = result.document;
    expect(doc.networks.find((n) => n.id === 'D')).toEqual(wider.networks[1]);
    expect(doc.networks.find((n) => n.id === 'D_2')).toEqual({
      ...dcgan.networks[1],
      id: 'D_2',
      label: 'D_2 (digit → score)',
    });
    const node = (id: string) => doc.nodes.find((n) => n.id === id)!;
    expect(node('pred_fake_2').params?.network).toBe('D_2');
    expect(node('pred_real_2').params?.network).toBe('D_2');
    expect(node('opt_D_2').params?.networks).toEqual(['D_2']);
    // The target's own applications still apply its own D.
    expect(node('pred_fake').params?.network).toBe('D');
  });

  test('inside a network only layers paste, and bring the variables they read', () => {
    const withExpression = setPresetParam(cyclegan, 'D_A', 'ndf', '=ndf');
    const layers = copyToClipboard(withExpression, ['model.0', 'model.1'], 'D_A');
    expect(layers.nodes).toHaveLength(2);
    expect(layers.networks).toEqual([]);
    const into = pasted(pasteClipboard(dcgan, layers, 'D'));
    expect(containerOf(into.document, 'D').nodes.map((n) => n.id)).toContain('model.0');
    expect(into.networks).toEqual([]);
    expect(pasteClipboard(dcgan, layers)).toEqual({
      ok: false,
      reason: 'layers belong inside a network: open one to paste them',
    });
    // Applications do not paste inside a network, nor do the networks they would bring.
    expect(pasteClipboard(dcgan, discriminatorA, 'D')).toEqual({
      ok: false,
      reason: 'only layers can be pasted inside a network',
    });
  });

  test('text round-trips to the same payload', () => {
    const text = serializeClipboard(discriminatorA);
    expect(parseClipboard(text)).toEqual({ ok: true, payload: discriminatorA });
    expect(parseClipboard(JSON.parse(text))).toEqual({ ok: true, payload: discriminatorA });
  });

  test('a bad payload is refused with the place of each problem', () => {
    const bad = (change: (p: Record<string, unknown>) => void) => {
      const value = JSON.parse(serializeClipboard(discriminatorA)) as Record<string, unknown>;
      change(value);
      const result = parseClipboard(JSON.stringify(value));
      if (result.ok) throw new Error('a bad payload was accepted');
      return result.problems;
    };
    expect(parseClipboard('fake_B')).toEqual({
      ok: false,
      problems: [
        {
          path: '$',
          code: 'not-json',
          message: expect.stringMatching(/^not valid JSON: /) as string,
        },
      ],
    });
    expect(bad((p) => (p.format = 'ganvas-graph'))).toEqual([
      {
        path: 'format',
        code: 'schema',
        message: 'expected "ganvas-clipboard", received "ganvas-graph"',
      },
    ]);
    expect(
      bad((p) => ((p.networks as ClipboardPayload['networks'])[0]!.role = 'critic' as 'generator')),
    ).toEqual([
      {
        path: 'networks[0].role',
        code: 'schema',
        message: 'expected "generator" or "discriminator", received "critic"',
      },
    ]);
    expect(bad((p) => ((p.nodes as ClipboardPayload['nodes'])[2]!.id = 'pred_fake_B'))).toEqual([
      {
        path: 'nodes[2].id',
        code: 'duplicate-id',
        message: 'duplicate node id "pred_fake_B" (also nodes[0])',
      },
    ]);
    expect(bad((p) => delete p.variables)).toEqual([
      { path: 'variables', code: 'schema', message: 'missing: expected a record' },
    ]);
  });
});
