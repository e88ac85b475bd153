/**
 * Corrupted copies of the CycleGAN template: each mistake is reported at its place in the
 * document (a JSON path) with a code saying what kind of problem it is and a message that says
 * what is wrong, by checkGraph and by `ganvas check`. Paths are looked up by id, so that the template can grow.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, it } from 'vitest';
import { checkGraph } from '../../src/graph/check';
import type { GraphDocument } from '../../src/graph/document';
import type { ProblemCode } from '../../src/graph/problems';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEMPLATE = readFileSync(join(ROOT, 'templates/cyclegan.json'), 'utf8');
const folder = mkdtempSync(join(tmpdir(), 'ganvas-corrupt-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

type Doc = GraphDocument;

interface Corruption {
  name: string;
  /** The problem's code: what code acting on it reads. */
  code: ProblemCode;
  /** Changes the copy in place, or returns what to write instead (text is written as is). */
  mutate: (doc: Doc) => unknown;
  /** The expected path, from the template before the change. */
  path: string | ((template: Doc) => string);
  /** What the message says, in part (every one of them). */
  fragment: string | string[];
  port?: string;
  /** --set values. */
  overrides?: Record<string, string>;
}

/** Sets a field to a value of any type: the point is to break the schema. */
function put(target: object, key: string, value: unknown): void {
  (target as Record<string, unknown>)[key] = value;
}

function nodeAt(doc: Doc, id: string): number {
  const i = doc.nodes.findIndex((n) => n.id === id);
  if (i < 0) throw new Error(`the template has no node "${id}"`);
  return i;
}

function node(doc: Doc, id: string): Doc['nodes'][number] {
  return doc.nodes[nodeAt(doc, id)]!;
}

function params(doc: Doc, id: string): Record<string, unknown> {
  return node(doc, id).params!;
}

function edgeAt(doc: Doc, target: string, targetPort: string): number {
  const i = doc.edges.findIndex((e) => e.target === target && e.targetPort === targetPort);
  if (i < 0) throw new Error(`the template has no edge into ${target}.${targetPort}`);
  return i;
}

function networkAt(doc: Doc, id: string): number {
  return doc.networks.findIndex((n) => n.id === id);
}

const at =
  (id: string, ...rest: string[]) =>
  (d: Doc) =>
    [`nodes[${nodeAt(d, id)}]`, ...rest].join('.');

const CORRUPTIONS: Corruption[] = [
  {
    name: 'text that is not JSON',
    code: 'not-json',
    mutate: () => '{"format": "ganvas-graph", nodes: [',
    path: '$',
    fragment: 'not valid JSON',
  },
  {
    name: 'JSON that is an array',
    code: 'not-a-graph',
    mutate: (d) => [d],
    path: '$',
    fragment: 'a graph document is a JSON object',
  },
  {
    name: 'another format name',
    code: 'schema',
    mutate: (d) => put(d, 'format', 'cyclegan-graph'),
    path: 'format',
    fragment: 'expected "ganvas-graph", received "cyclegan-graph"',
  },
  {
    name: 'no version',
    code: 'version',
    mutate: (d) => put(d, 'version', undefined),
    path: 'version',
    fragment: 'expected a schema version (a positive integer)',
  },
  {
    name: 'a version from a newer Ganvas',
    code: 'version',
    mutate: (d) => put(d, 'version', 99),
    path: 'version',
    fragment: 'schema version 99, written by a newer Ganvas',
  },
  {
    name: 'a version written as a string',
    code: 'version',
    mutate: (d) => put(d, 'version', '1'),
    path: 'version',
    fragment: 'expected a schema version (a positive integer), received "1"',
  },
  {
    name: 'nodes that are not an array',
    code: 'schema',
    mutate: (d) => put(d, 'nodes', { fake_B: d.nodes[1] }),
    path: 'nodes',
    fragment: 'expected an array, received an object',
  },
  {
    name: 'a node without an id',
    code: 'schema',
    mutate: (d) => put(node(d, 'rec_A'), 'id', undefined),
    path: at('rec_A', 'id'),
    fragment: 'missing: expected a string',
  },
  {
    name: 'an id with a space',
    code: 'schema',
    mutate: (d) => put(node(d, 'rec_A'), 'id', 'rec A'),
    path: at('rec_A', 'id'),
    fragment:
      'an id starts with a letter or "_" and holds letters, digits, "_", "." or "-", received "rec A"',
  },
  {
    name: 'a duplicate node id',
    code: 'duplicate-id',
    mutate: (d) => put(node(d, 'fake_A'), 'id', 'fake_B'),
    path: at('fake_A', 'id'),
    fragment: 'duplicate node id "fake_B" (also nodes[',
  },
  {
    name: 'a duplicate network id',
    code: 'duplicate-id',
    mutate: (d) => put(d.networks[networkAt(d, 'G_B')]!, 'id', 'G_A'),
    path: (d) => `networks[${networkAt(d, 'G_B')}].id`,
    fragment: `duplicate network id "G_A" (also networks[0])`,
  },
  {
    name: 'an unknown node kind',
    code: 'unknown-kind',
    mutate: (d) => put(node(d, 'idt_A'), 'kind', 'Lose'),
    path: at('idt_A', 'kind'),
    fragment: ['unknown node kind "Lose"; known kinds: Input, Output, Conv,', 'Generator', 'Loss'],
  },
  {
    name: 'an unknown field on a node',
    code: 'schema',
    mutate: (d) => put(node(d, 'idt_A'), 'colour', 'red'),
    path: at('idt_A'),
    fragment: 'unknown field "colour"',
  },
  {
    name: 'a position with a string x',
    code: 'schema',
    mutate: (d) => put(node(d, 'idt_A').position!, 'x', '120'),
    path: at('idt_A', 'position', 'x'),
    fragment: 'expected a number, received "120"',
  },
  {
    name: 'a param of the wrong type',
    code: 'param',
    mutate: (d) => put(params(d, 'idt_A'), 'weight', 'heavy'),
    path: at('idt_A', 'params', 'weight'),
    fragment: 'expected a number, received "heavy"',
  },
  {
    name: 'a negative loss weight',
    code: 'param',
    mutate: (d) => put(params(d, 'idt_A'), 'weight', -1),
    path: at('idt_A', 'params', 'weight'),
    fragment: 'expected a number >= 0, received -1',
  },
  {
    name: 'an unknown param',
    code: 'param',
    mutate: (d) => put(params(d, 'idt_A'), 'reduction', 'sum'),
    path: at('idt_A', 'params', 'reduction'),
    fragment: 'unknown param "reduction"; Loss params: type, weight',
  },
  {
    name: 'an unknown loss type',
    code: 'param',
    mutate: (d) => put(params(d, 'idt_A'), 'type', 'l3'),
    path: at('idt_A', 'params', 'type'),
    fragment: ['expected "l1" or "l2" or "lsgan" or "vanilla"', 'received "l3"'],
  },
  {
    name: 'an edge to a node that does not exist',
    code: 'edge',
    mutate: (d) => put(d.edges[edgeAt(d, 'cycle_A', 'input')]!, 'target', 'cycle_C'),
    path: (d) => `edges[${edgeAt(d, 'cycle_A', 'input')}].target`,
    fragment: 'no node "cycle_C"',
  },
  {
    name: 'an edge to a port that does not exist',
    code: 'edge',
    mutate: (d) => put(d.edges[edgeAt(d, 'rec_A', 'in')]!, 'targetPort', 'out2'),
    path: (d) => `edges[${edgeAt(d, 'rec_A', 'in')}]`,
    fragment: 'no input port "out2" on node "rec_A" (Generator); its inputs: "in"',
  },
  {
    name: 'an edge from an input port',
    code: 'edge',
    mutate: (d) => put(d.edges[edgeAt(d, 'rec_A', 'in')]!, 'sourcePort', 'in'),
    path: (d) => `edges[${edgeAt(d, 'rec_A', 'in')}]`,
    fragment: 'no output port "in" on node "fake_B" (Generator); its outputs: "out"',
  },
  {
    name: 'two edges into one single input',
    code: 'connection',
    mutate: (d) =>
      d.edges.push({ source: 'data', sourcePort: 'real_B', target: 'fake_B', targetPort: 'in' }),
    path: (d) => `edges[${d.edges.length}]`,
    fragment: 'input "in" of node "fake_B" already has an edge (edges[',
    port: 'in',
  },
  {
    name: 'a loss output joined to an image input',
    code: 'connection',
    mutate: (d) => {
      d.edges[edgeAt(d, 'show_fake_B', 'in')] = {
        source: 'idt_A',
        sourcePort: 'loss',
        target: 'show_fake_B',
        targetPort: 'in',
      };
    },
    path: (d) => `edges[${edgeAt(d, 'show_fake_B', 'in')}]`,
    fragment: 'cannot connect "idt_A.loss" to "show_fake_B.in"',
    port: 'in',
  },
  {
    name: 'a data cycle',
    code: 'cycle',
    // rec_A = G_B(fake_B) fed back as the input of fake_B = G_A(real_A), in place of real_A.
    mutate: (d) => {
      d.edges[edgeAt(d, 'fake_B', 'in')] = {
        source: 'rec_A',
        sourcePort: 'out',
        target: 'fake_B',
        targetPort: 'in',
      };
    },
    path: at('fake_B'),
    fragment: 'data cycle: fake_B → rec_A → fake_B',
  },
  {
    name: 'a Generator node naming a missing network',
    code: 'network',
    mutate: (d) => put(params(d, 'fake_B'), 'network', 'G_C'),
    path: at('fake_B', 'params', 'network'),
    fragment: 'no network "G_C"; networks: G_A, G_B, D_A, D_B',
  },
  {
    name: 'a Generator node naming a discriminator',
    code: 'network',
    mutate: (d) => put(params(d, 'fake_B'), 'network', 'D_A'),
    path: at('fake_B', 'params', 'network'),
    fragment: '"D_A" is a discriminator; a Generator node applies a generator',
  },
  {
    name: 'a Discriminator tapping a layer its network does not have',
    code: 'param',
    mutate: (d) => put(params(d, 'pred_fake_B'), 'taps', ['model.4', 'model.12']),
    path: at('pred_fake_B', 'params', 'taps[1]'),
    fragment: [
      'pred_fake_B.taps: network "D_A" has no layer "model.12" to tap',
      'its layers: model.0, model.1, model.2,',
      'model.10, model.11',
    ],
  },
  {
    name: 'an optimizer naming a missing network',
    code: 'network',
    mutate: (d) => put(params(d, 'opt_G'), 'networks', ['G_A', 'G_X']),
    path: at('opt_G', 'params', 'networks[1]'),
    fragment: 'no network "G_X"',
  },
  {
    name: 'a network with both a preset and a body',
    code: 'schema',
    mutate: (d) => put(d.networks[0]!, 'body', { nodes: [], edges: [] }),
    path: 'networks[0]',
    fragment: 'a network has either a "preset" or a "body", not both and not neither',
  },
  {
    name: 'an unknown preset',
    code: 'unknown-kind',
    mutate: (d) => put(d.networks[0]!.preset!, 'name', 'resnut'),
    path: 'networks[0].preset.name',
    fragment: 'unknown preset "resnut"; known: resnet,',
  },
  {
    name: 'a preset param out of range',
    code: 'param',
    mutate: (d) => put(d.networks[0]!.preset!.params!, 'n_blocks', -1),
    path: 'networks[0].preset.params.n_blocks',
    fragment: 'expected a number >= 0, received -1',
  },
  {
    name: 'an image size above the Dataset maximum',
    code: 'param',
    mutate: (d) => put(d.variables.size!, 'value', 1e9),
    path: at('data', 'params', 'size'),
    fragment: 'expected a number <= 4096, received 1000000000',
  },
  {
    name: 'an image size below the Dataset minimum',
    code: 'param',
    mutate: (d) => put(d.variables.size!, 'value', 2),
    path: at('data', 'params', 'size'),
    fragment: 'expected a number >= 4, received 2',
  },
  {
    // 4 → 2 → 1 after the two down-samplings: a residual block cannot reflect a 1×1 map.
    name: 'an image size too small for the generator, at its residual block',
    code: 'shape',
    mutate: (d) => put(d.variables.size!, 'value', 4),
    path: (d) => `networks[${networkAt(d, 'G_A')}].preset`,
    fragment:
      'G_A.model.10: reflection padding 1 needs an input larger than 1 on each side, received 1×1×1×256',
    port: 'in',
  },
  {
    name: 'an image size too small for the generator, at the edge that feeds it',
    code: 'shape',
    mutate: (d) => put(d.variables.size!, 'value', 4),
    path: (d) => `edges[${edgeAt(d, 'fake_B', 'in')}]`,
    fragment: 'fake_B.in: network "G_A" cannot take 1×4×4×3: layer "model.10"',
    port: 'in',
  },
  {
    // 8 → 4 → 2 → 1 in the stride-2 layers: the 4×4 stride-1 layer has nothing left.
    name: 'an image size too small for the discriminator, at its layer',
    code: 'shape',
    mutate: (d) => put(d.variables.size!, 'value', 8),
    path: (d) => `networks[${networkAt(d, 'D_A')}].preset`,
    fragment:
      'D_A.model.8: input 1×1×1×256 is too small for a 4×4 kernel with stride 1 and padding 1',
    port: 'in',
  },
  {
    name: 'an expression over an unknown variable',
    code: 'expression',
    mutate: (d) => put(d.networks[0]!.preset!.params!, 'ngf', '=ngf*widht'),
    path: 'networks[0].preset.params.ngf',
    fragment: 'unknown variable "widht"',
  },
  {
    name: 'a variable override of the wrong type',
    code: 'variable',
    mutate: () => undefined,
    overrides: { ngf: 'many' },
    path: 'variables.ngf',
    fragment: 'expected a number, received "many"',
  },
  {
    name: 'an override of a variable the graph does not have',
    code: 'variable',
    mutate: () => undefined,
    overrides: { width: '8' },
    path: 'variables.width',
    fragment: 'unknown variable "width"; this graph has size, batch_size, ngf',
  },
  {
    name: 'a loss not wired to any optimizer',
    code: 'optimizer',
    mutate: (d) => {
      d.edges = d.edges.filter((e) => !(e.source === 'idt_A' && e.target === 'opt_G'));
    },
    path: at('idt_A'),
    fragment: 'loss "idt_A" is not wired to any optimizer, so nothing minimizes it',
    port: 'loss',
  },
  {
    name: 'a network no optimizer updates',
    code: 'optimizer',
    mutate: (d) => put(params(d, 'opt_D'), 'networks', ['D_A']),
    path: (d) => `networks[${networkAt(d, 'D_B')}]`,
    fragment: 'network "D_B" is not updated by any optimizer',
  },
  {
    name: 'an input left unconnected',
    code: 'missing-input',
    mutate: (d) => {
      d.edges.splice(edgeAt(d, 'cycle_A', 'target'), 1);
    },
    path: at('cycle_A'),
    fragment: 'cycle_A.target: input "target" is not connected',
    port: 'target',
  },
];

function corruptedText(c: Corruption): string {
  const doc = JSON.parse(TEMPLATE) as Doc;
  const replaced = c.mutate(doc);
  if (typeof replaced === 'string') return replaced;
  return JSON.stringify(Array.isArray(replaced) ? replaced : doc, null, 2);
}

function ganvasCheck(file: string, overrides: Record<string, string> = {}) {
  const sets = Object.entries(overrides).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['bin/ganvas.mjs', 'check', file, ...sets],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe.concurrent('a corrupted document is reported at its place', () => {
  it('the template itself is valid', ({ expect }) => {
    expect(checkGraph(TEMPLATE).problems).toEqual([]);
  });

  it.for(CORRUPTIONS)('$name', async (c, { expect }) => {
    const template = JSON.parse(TEMPLATE) as Doc;
    const path = typeof c.path === 'string' ? c.path : c.path(template);
    const text = corruptedText(c);
    const fragments = typeof c.fragment === 'string' ? [c.fragment] : c.fragment;
    const says = (message: string) => fragments.every((f) => message.includes(f));

    const result = checkGraph(text, c.overrides);
    expect(result.valid).toBe(false);
    const listed = result.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    const problem = result.problems.find((p) => p.path === path && says(p.message));
    expect(
      problem,
      `no problem at ${path} saying ${fragments.join(' … ')} among:\n${listed}`,
    ).toBeDefined();
    expect(problem!.code).toBe(c.code);
    if (c.port) expect(problem!.port).toBe(c.port);

    const file = join(folder, `${c.name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, text);
    const cli = await ganvasCheck(file, c.overrides);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe('');
    const lines = cli.stderr.split('\n');
    expect(
      lines.some((line) => line.startsWith(`${path}: `) && says(line)),
      cli.stderr,
    ).toBe(true);
    expect(lines).toContain(
      `${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`,
    );
  });
});
