/**
 * `ganvas check | train | eval` as a user runs them: a child process from the repository root.
 * Training runs use the tiny CycleGAN (32×32, ngf = ndf = 8, 2 blocks) on the cpu backend; the
 * independent runs go concurrently.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/document';
import { readSafeTensors, writeSafeTensors } from '../../src/runtime/safetensors';
import { ganvas, readLog, shown } from '../ganvasCli';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The shared parity fixtures, beside the repository (see parityRun.ts). */
const FIXTURES = fileURLToPath(new URL('../fixtures/parity/', import.meta.url));
const INIT = join(FIXTURES, 'cyclegan-tiny.init.safetensors');
const BATCH = join(FIXTURES, 'cyclegan-tiny.batch.safetensors');
const TEMPLATE = 'templates/cyclegan.json';
const TINY = ['size=32', 'ngf=8', 'ndf=8', 'n_blocks=2'].flatMap((s) => ['--set', s]);
const LOSS_TERMS = ['idt_A', 'idt_B', 'G_A', 'G_B', 'cycle_A', 'cycle_B', 'D_A', 'D_B'];

function template(): GraphDocument {
  return JSON.parse(readFileSync(join(ROOT, TEMPLATE), 'utf8')) as GraphDocument;
}

let work: string;
let batchWithoutRealB: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ganvas-cli-'));
  const batch = readSafeTensors(readFileSync(BATCH));
  const realA = batch.tensors.get('real_A')!;
  batchWithoutRealB = join(work, 'real_A-only.safetensors');
  writeFileSync(
    batchWithoutRealB,
    writeSafeTensors(new Map([['real_A', { shape: realA.shape, data: realA.data! }]])),
  );
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.concurrent('ganvas check', () => {
  it('prints every training-graph edge with its shape: at size 256, 1×256×256×3 images and 1×30×30×1 patches', async ({
    expect,
  }) => {
    const run = await ganvas('check', TEMPLATE);
    expect(run.code, shown(run)).toBe(0);
    const lines = run.stdout.split('\n');
    for (const e of template().edges) {
      const edge = `${e.source}.${e.sourcePort} -> ${e.target}.${e.targetPort}  `;
      expect(
        lines.some((l) => l.startsWith(edge)),
        `no line for ${edge}`,
      ).toBe(true);
    }
    expect(lines).toContain('data.real_A -> fake_B.in  1×256×256×3');
    expect(lines).toContain('fake_B.out -> rec_A.in  1×256×256×3');
    expect(lines).toContain('pred_real_B.out -> D_A.real  1×30×30×1');
    expect(lines).toContain('pred_pool_A.out -> D_B.fake  1×30×30×1');
    expect(lines).toContain('cycle_A.loss -> opt_G.loss  scalar');
  });

  it('--set size=128 changes the shapes: 1×128×128×3 images and 1×14×14×1 patches', async ({
    expect,
  }) => {
    // PatchGAN at 128: three stride-2 convs 128 → 64 → 32 → 16, two stride-1 4×4 convs → 15 → 14.
    const run = await ganvas('check', TEMPLATE, '--set', 'size=128');
    expect(run.code, shown(run)).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('data.real_A -> fake_B.in  1×128×128×3');
    expect(lines).toContain('fake_B.out -> rec_A.in  1×128×128×3');
    expect(lines).toContain('pred_real_B.out -> D_A.real  1×14×14×1');
    expect(lines).toContain('pred_fake_B.out -> G_A.real  1×14×14×1');
    expect(run.stdout).not.toContain('×256×256×');
  });

  it('an invalid graph exits 1 and lists every problem, each with its JSON path', async ({
    expect,
  }) => {
    const doc = template();
    const nodeAt = (id: string) => doc.nodes.findIndex((n) => n.id === id);
    const netAt = (id: string) => doc.networks.findIndex((n) => n.id === id);
    // Three independent mistakes: a param of the wrong type, a preset param out of range and a
    // misspelt node kind.
    doc.nodes[nodeAt('idt_B')]!.params!.weight = 'heavy';
    doc.networks[netAt('D_B')]!.preset!.params!.n_layers = 0;
    doc.nodes[nodeAt('show_rec_A')]!.kind = 'Previeww';
    const file = join(work, 'three-mistakes.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));

    const run = await ganvas('check', file);
    expect(run.code, shown(run)).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      `networks[${netAt('D_B')}].preset.params.n_layers: expected a number >= 1, received 0`,
      `nodes[${nodeAt('idt_B')}].params.weight: expected a number, received "heavy"`,
      expect.stringMatching(
        new RegExp(
          `^nodes\\[${nodeAt('show_rec_A')}\\]\\.kind: unknown node kind "Previeww"; known kinds: `,
        ),
      ),
      `${file}: 3 problems`,
    ]);
  });

  it('--set with a variable the graph does not have is a problem that names it', async ({
    expect,
  }) => {
    const run = await ganvas('check', TEMPLATE, '--set', 'nosuch=1');
    expect(run.code, shown(run)).toBe(1);
    expect(run.stderr).toContain(
      'variables.nosuch: unknown variable "nosuch"; this graph has size',
    );
  });
});

describe.concurrent('ganvas check and train with a memory budget', () => {
  it("check prints each network's parameters and a step's memory against the budget", async ({
    expect,
  }) => {
    const run = await ganvas('check', TEMPLATE, '--memory-budget', '12GiB');
    expect(run.code, shown(run)).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines).toContain('G_A  11.4 million parameters');
    expect(lines).toContain('D_B  2.76 million parameters');
    expect(run.stdout).toMatch(/\na training step needs about 11\.5 GiB of 12 GiB \(weights /);
  });

  it('check refuses the reference over a smaller budget, saying how to raise it', async ({
    expect,
  }) => {
    const run = await ganvas('check', TEMPLATE, '--memory-budget', '8GiB');
    expect(run.code, shown(run)).toBe(1);
    expect(run.stderr).toContain(
      'networks[0]: a training step needs about 11.5 GiB; the limit is 8 GiB (raise it with --memory-budget)',
    );
  });

  it('train refuses size 4096 with batch 1024 before allocating, with the estimate', async ({
    expect,
  }) => {
    const run = await ganvas(
      'train',
      TEMPLATE,
      '--set',
      'size=4096',
      '--set',
      'batch_size=1024',
      '--steps',
      '1',
    );
    expect(run.code, shown(run)).toBe(1);
    expect(run.stderr).toMatch(
      /^ganvas: .*networks\[0\]: a training step needs about [\d.]+ PiB; the limit is 16 GiB \(raise it with --memory-budget\)/,
    );
    expect(run.stderr).not.toContain('training templates');
  });

  it('a budget that is not a size is one clear line', async ({ expect }) => {
    const run = await ganvas('check', TEMPLATE, '--memory-budget', 'lots');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'ganvas: --memory-budget: expected a size such as 32GiB or 512MiB, received "lots"\n',
    );
  });
});

// Training on a busy machine can take minutes: the runs get more than the default timeout.
describe.concurrent('ganvas train and eval', { timeout: 240_000 }, () => {
  it('trains 20 steps on cpu, logging every loss term of every step, finite, with its time', async ({
    expect,
  }) => {
    const log = join(work, 'train20.jsonl');
    const run = await ganvas(
      'train',
      TEMPLATE,
      ...['--data', 'builtin:daynight', ...TINY, '--steps', '20', '--log', log],
    );
    expect(run.code, shown(run)).toBe(0);
    expect(run.stderr).toContain('on cpu');
    const entries = readLog(log);
    expect(entries.map((e) => e.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const entry of entries) {
      expect(Object.keys(entry.losses).sort()).toEqual([...LOSS_TERMS].sort());
      for (const term of LOSS_TERMS) expect(Number.isFinite(entry.losses[term])).toBe(true);
      expect(entry.stepMs).toBeGreaterThan(0);
    }
  });

  it("reproduces the parity fixture's losses from its batch and initial weights", async ({
    expect,
  }) => {
    // Expected: losses_per_step of cyclegan-tiny.json, written by the PyTorch reference; the
    // in-process parity test matches them to about 1e-5, so 1e-4 relative leaves room.
    const reference = JSON.parse(readFileSync(join(FIXTURES, 'cyclegan-tiny.json'), 'utf8')) as {
      losses_per_step: Record<string, number>[];
    };
    const log = join(work, 'parity.jsonl');
    const run = await ganvas(
      'train',
      TEMPLATE,
      ...[...TINY, '--batch', BATCH, '--init', INIT, '--steps', '3', '--log', log],
    );
    expect(run.code, shown(run)).toBe(0);
    const entries = readLog(log);
    expect(entries).toHaveLength(3);
    entries.forEach((entry, i) => {
      const expected = reference.losses_per_step[i]!;
      expect(Object.keys(expected).sort()).toEqual([...LOSS_TERMS].sort());
      for (const [term, ref] of Object.entries(expected)) {
        const relative = Math.abs(entry.losses[term]! - ref) / Math.abs(ref);
        expect(relative, `step ${i + 1} ${term}: ${entry.losses[term]} vs ${ref}`).toBeLessThan(
          1e-4,
        );
      }
    });
  });

  it('saved weights evaluate: mean L1 and identity baseline for G_A (A→B) and G_B (B→A)', async ({
    expect,
  }) => {
    const weights = join(work, 'trained.safetensors');
    const train = await ganvas(
      'train',
      TEMPLATE,
      ...['--data', 'builtin:daynight', ...TINY, '--steps', '2', '--save', weights],
    );
    expect(train.code, shown(train)).toBe(0);
    expect(train.stderr).toContain(`to ${weights}`);

    const run = await ganvas(
      'eval',
      TEMPLATE,
      ...TINY,
      ...['--init', weights, '--data', 'builtin:daynight'],
    );
    expect(run.code, shown(run)).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const number = '(\\d+\\.\\d+)';
    for (const [i, network] of ['G_A (A→B)', 'G_B (B→A)'].entries()) {
      const match = new RegExp(
        `^${network.replace(/[()]/g, '\\$&')}: mean L1 .*?${number}, identity baseline ${number}`,
      ).exec(lines[i]!);
      expect(match, lines[i]).not.toBeNull();
      expect(Number(match![1])).toBeGreaterThan(0);
      expect(Number(match![2])).toBeGreaterThan(0);
    }
  });

  it('weights round-trip: the init fixture loaded, then saved after 0 steps, is the same file content', async ({
    expect,
  }) => {
    const saved = join(work, 'roundtrip.safetensors');
    const run = await ganvas(
      'train',
      TEMPLATE,
      ...['--data', 'builtin:daynight', ...TINY, '--init', INIT, '--steps', '0', '--save', saved],
    );
    expect(run.code, shown(run)).toBe(0);
    const ours = readSafeTensors(readFileSync(saved)).tensors;
    const fixture = readSafeTensors(readFileSync(INIT)).tensors;
    expect([...ours.keys()].sort()).toEqual([...fixture.keys()].sort());
    for (const [name, t] of fixture) {
      const mine = ours.get(name)!;
      expect(mine.dtype, name).toBe(t.dtype);
      expect(mine.shape, name).toEqual(t.shape);
      // Bit for bit: a layout change that loses nothing gives back the very same floats.
      expect(Buffer.from(mine.data!.buffer, mine.data!.byteOffset, mine.data!.byteLength)).toEqual(
        Buffer.from(t.data!.buffer, t.data!.byteOffset, t.data!.byteLength),
      );
    }
  });
});

interface Mistake {
  name: string;
  args: () => string[];
  /** What the one line says, in part (every one of them). */
  says: string[];
}

const MISTAKES: Mistake[] = [
  {
    name: 'an unknown option',
    args: () => ['check', TEMPLATE, '--bogus'],
    says: ["Unknown option '--bogus'"],
  },
  {
    name: 'a graph file that does not exist',
    args: () => ['check', 'no/such/graph.json'],
    says: ['cannot read graph no/such/graph.json: no such file'],
  },
  {
    name: 'a graph path that is a folder',
    args: () => ['check', 'templates'],
    says: ['cannot read graph templates: is a folder'],
  },
  {
    name: '--set without "="',
    args: () => ['train', TEMPLATE, '--set', 'size'],
    says: ['--set size: expected name=value'],
  },
  {
    name: '--set of an unknown variable',
    args: () => ['train', TEMPLATE, ...TINY, '--set', 'nosuch=1', '--steps', '1'],
    says: ['variables.nosuch: unknown variable "nosuch"'],
  },
  {
    name: '--set of a number to text',
    args: () => ['train', TEMPLATE, '--set', 'size=abc', '--steps', '1'],
    says: ['variables.size: expected a number, received "abc"'],
  },
  {
    name: 'a negative --steps',
    args: () => ['train', TEMPLATE, ...TINY, '--steps', '-3'],
    says: ['--steps: expected a non-negative integer, received "-3"'],
  },
  {
    name: 'an unknown --backend',
    args: () => ['train', TEMPLATE, ...TINY, '--backend', 'tpu', '--steps', '1'],
    says: ['--backend: expected cpu or webgpu, received "tpu"'],
  },
  {
    name: 'an unknown built-in dataset',
    args: () => ['train', TEMPLATE, ...TINY, '--data', 'builtin:nosuch', '--steps', '1'],
    says: ['unknown built-in dataset "nosuch"', 'known datasets: daynight'],
  },
  {
    name: '--init with a file that is not safetensors',
    args: () => ['train', TEMPLATE, ...TINY, '--init', TEMPLATE, '--steps', '1'],
    says: [TEMPLATE, 'not a safetensors file'],
  },
  {
    name: '--init with the weights of a different-size network',
    args: () => [
      ...['train', TEMPLATE, ...TINY, '--set', 'ngf=16'],
      ...['--init', INIT, '--steps', '1'],
    ],
    says: [
      'G_A.model.1.weight: expected shape [16, 3, 7, 7] (PyTorch layout), the file has [8, 3, 7, 7]',
    ],
  },
  {
    name: '--batch lacking real_B',
    args: () => ['train', TEMPLATE, ...TINY, '--batch', batchWithoutRealB, '--steps', '1'],
    says: ['the batch has no tensor "real_B" for node "data"'],
  },
  {
    name: 'eval without --init',
    args: () => ['eval', TEMPLATE, ...TINY, '--data', 'builtin:daynight'],
    says: ['--init <weights.safetensors> is required'],
  },
  {
    name: 'an unknown command',
    args: () => ['frobnicate', TEMPLATE],
    says: ['unknown command "frobnicate"; commands: check, train, eval'],
  },
];

describe.concurrent('a user mistake is one line on stderr, exit code 1, no stack trace', () => {
  it.for(MISTAKES)('$name', async ({ args, says }, { expect }) => {
    const run = await ganvas(...args());
    expect(run.code, shown(run)).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    expect(lines, shown(run)).toHaveLength(1);
    expect(lines[0]).toMatch(/^ganvas: /);
    for (const part of says) expect(lines[0]).toContain(part);
    expect(run.stderr).not.toMatch(/^ {4}at /m);
  });
});
