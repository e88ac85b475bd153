/**
 * `ganvas export pytorch` writes the project and the built-in data it trains on; `--help` says
 * how, for every command; a graph that cannot be exported is one line naming the layer.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/runtime/cli/main';
import { COMMAND_USAGE } from '../../src/runtime/cli/usage';
import { readTemplate, TEMPLATES, temporaryFolder } from './exportedRun';

function printed(spy: { mock: { calls: unknown[][] } }): string {
  return spy.mock.calls.map((c) => String(c[0])).join('');
}

afterEach(() => vi.restoreAllMocks());

describe('ganvas export pytorch', () => {
  it('writes the project and the built-in images it trains on', async () => {
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const out = temporaryFolder('cli');
    const code = await main([
      'export',
      'pytorch',
      `${TEMPLATES}cyclegan.json`,
      ...['--set', 'size=16', '--set', 'n_layers_D=2', '--set', 'ngf=4', '--set', 'ndf=4'],
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    for (const file of ['model.py', 'train.py', 'data.py', 'graph.json', 'README.md']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    expect(readdirSync(join(out, 'data', 'daynight', 'trainA'))).toHaveLength(1000);
    expect(readdirSync(join(out, 'data', 'daynight', 'trainB'))).toHaveLength(1000);
  });

  it('refuses a graph it cannot express in one line naming the layer', async () => {
    const doc = readTemplate('dcgan') as { networks: Record<string, unknown>[] };
    const d = doc.networks.find((n) => n.id === 'D')!;
    delete d.preset;
    d.body = {
      nodes: [
        { id: 'input', kind: 'Input' },
        { id: 'conv', kind: 'Conv', params: { filters: 1, kernel: 4, stride: 2, padding: 'same' } },
        { id: 'output', kind: 'Output' },
      ],
      edges: [
        { source: 'input', sourcePort: 'out', target: 'conv', targetPort: 'in' },
        { source: 'conv', sourcePort: 'out', target: 'output', targetPort: 'in' },
      ],
    };
    const folder = temporaryFolder('refused');
    const graph = join(folder, 'graph.json');
    writeFileSync(graph, JSON.stringify(doc));
    const out = join(folder, 'out');
    await expect(main(['export', 'pytorch', graph, '--out', out])).rejects.toThrow(
      /cannot export: D\.conv: padding "same" with stride 2/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('ganvas --help', () => {
  it('lists every command', async () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    expect(await main(['--help'])).toBe(0);
    for (const command of Object.keys(COMMAND_USAGE)) {
      expect(printed(stdout)).toContain(`ganvas ${command} `);
    }
  });

  it.each(Object.keys(COMMAND_USAGE))('ganvas %s --help prints its usage', async (command) => {
    const stdout = vi.spyOn(process.stdout, 'write').mockReturnValue(true);
    expect(await main([command, '--help'])).toBe(0);
    expect(printed(stdout)).toMatch(new RegExp(`^ganvas ${command} `));
  });
});
