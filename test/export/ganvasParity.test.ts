/**
 * Three steps of an exported program equal three steps of `ganvas train` from the same weights
 * and batch, within 1e-4 relative on every term of every step (measured: under 1e-6). Both runs
 * draw what Ganvas draws during a step (the gradient penalty's interpolation weights) from the
 * same seeded stream. Two edits make the frameworks comparable, neither touching what is
 * compared: pix2pix without dropout (the two frameworks draw different masks), and EBGAN's
 * discriminator trained by SGD: its Dense layers before BatchNorm have biases whose true
 * gradient is zero, and Adam turns the float noise standing in for it into steps of about lr
 * whose signs differ between frameworks (the pull-away term reads those layers).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VariableValue } from '../../src/graph/expression';
import {
  exportTo,
  ganvasTrain,
  readLog,
  readTemplate,
  relativeDifference,
  runTrainPy,
  temporaryFolder,
  writeRandomBatch,
} from './exportedRun';

type Document = {
  nodes: { id: string; params: Record<string, unknown> }[];
  networks: { preset?: { params?: Record<string, unknown> } }[];
};

const MNIST = { size: 8, ngf: 4, ndf: 4, nz: 8, batch_size: 4 };

const CASES: [string, Record<string, VariableValue>, (doc: Document) => void][] = [
  ['gan', MNIST, () => {}],
  ['dcgan', MNIST, () => {}],
  ['lsgan', MNIST, () => {}],
  ['wgan', MNIST, () => {}],
  ['wgan-gp', MNIST, () => {}],
  ['began', { ...MNIST, code: 4 }, () => {}],
  [
    'ebgan',
    { ...MNIST, code: 4 },
    (doc) => {
      doc.nodes.find((n) => n.id === 'opt_D')!.params.type = 'sgd';
    },
  ],
  [
    'pix2pix',
    { size: 32, num_downs: 5, ngf: 4, ndf: 4 },
    (doc) => {
      for (const net of doc.networks)
        if (net.preset?.params?.use_dropout) net.preset.params.use_dropout = false;
    },
  ],
];

describe('an exported program trains as ganvas train does', () => {
  it.each(CASES)('%s: 3 steps, every term within 1e-4 relative', async (name, sets, edit) => {
    const folder = temporaryFolder(name);
    const document = readTemplate(name) as Document;
    edit(document);
    const graph = join(folder, 'graph.json');
    writeFileSync(graph, JSON.stringify(document));
    const init = join(folder, 'init.safetensors');
    const batch = join(folder, 'batch.safetensors');
    await ganvasTrain(graph, sets, ['--steps', '0', '--save', init]);
    writeRandomBatch(batch, document, sets, 5);
    const fixed = ['--init', init, '--batch', batch, '--steps', '3'];
    await ganvasTrain(graph, sets, [...fixed, '--log', join(folder, 'ganvas.jsonl')]);
    const project = join(folder, 'project');
    exportTo(project, document, sets);
    await runTrainPy(project, [
      ...fixed,
      '--log',
      join(folder, 'torch.jsonl'),
      '--checkpoints_dir',
      join(folder, 'ck'),
    ]);

    const ganvas = readLog(join(folder, 'ganvas.jsonl'));
    const torch = readLog(join(folder, 'torch.jsonl'));
    expect(torch).toHaveLength(3);
    for (const [i, line] of ganvas.entries()) {
      expect(Object.keys(torch[i]!.losses)).toEqual(Object.keys(line.losses));
      for (const [term, value] of Object.entries(line.losses)) {
        const ours = torch[i]!.losses[term]!;
        expect(
          relativeDifference(ours, value),
          `step ${i + 1} ${term}: ${ours} vs ${value}`,
        ).toBeLessThan(1e-4);
      }
    }
  });
});
