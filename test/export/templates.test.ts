/**
 * Every template exports, and each exported program trains 2 steps on the data exported with it
 * (the built-in sets as image folders, a few images each) with finite losses. A graph with
 * something PyTorch code cannot reproduce is refused, naming the node and the reason.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/graph/document';
import { builtinDataFiles } from '../../src/runtime/export/pytorch/builtinData';
import { ExportRefusal, exportPyTorchProject } from '../../src/runtime/export/pytorch/project';
import { TINY, templateNames } from '../zoo/tiny';
import { readLog, readTemplate, runTrainPy, temporaryFolder } from './exportedRun';

/** Images per domain written for a test: enough for a batch of the tiny configurations. */
const IMAGES = 4;

// Concurrently: each run is a Python process, mostly starting up.
describe.concurrent('every template exports and trains', () => {
  it.each(templateNames())(
    '%s trains 2 steps from its exported data with finite losses',
    async (name) => {
      const parsed = parseDocument(JSON.stringify(readTemplate(name)));
      if (!parsed.ok) throw new Error(`${name} does not parse`);
      const project = exportPyTorchProject(parsed.document, TINY[name]);
      const folder = temporaryFolder(name);
      const data = builtinDataFiles(project.program, IMAGES);
      for (const [path, contents] of [...project.files, ...data]) {
        mkdirSync(join(folder, path, '..'), { recursive: true });
        writeFileSync(join(folder, path), contents);
      }
      const log = join(folder, 'log.jsonl');
      await runTrainPy(folder, [
        '--steps',
        '2',
        '--log',
        log,
        '--checkpoints_dir',
        join(folder, 'ck'),
      ]);
      const lines = readLog(log);
      expect(lines.map((l) => l.step)).toEqual([1, 2]);
      for (const line of lines) {
        expect(Object.keys(line.losses).length).toBeGreaterThan(0);
        for (const [term, value] of Object.entries(line.losses)) {
          expect(Number.isFinite(value), `step ${line.step} ${term}: ${value}`).toBe(true);
        }
      }
    },
  );
});

/** dcgan with a discriminator of one convolution, whose params `conv` gives. */
function withConvolution(conv: Record<string, unknown>) {
  const doc = readTemplate('dcgan') as { networks: Record<string, unknown>[] };
  const d = doc.networks.find((n) => n.id === 'D')!;
  delete d.preset;
  d.body = {
    nodes: [
      { id: 'input', kind: 'Input' },
      { id: 'conv', kind: 'Conv', params: { filters: 1, kernel: 4, ...conv } },
      { id: 'output', kind: 'Output' },
    ],
    edges: [
      { source: 'input', sourcePort: 'out', target: 'conv', targetPort: 'in' },
      { source: 'conv', sourcePort: 'out', target: 'output', targetPort: 'in' },
    ],
  };
  const parsed = parseDocument(JSON.stringify(doc));
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.document;
}

describe('a graph PyTorch code cannot reproduce', () => {
  it('is refused, naming the layer and the reason', () => {
    const document = withConvolution({ stride: 2, padding: 'same' });
    expect(() => exportPyTorchProject(document, TINY.dcgan)).toThrow(ExportRefusal);
    expect(() => exportPyTorchProject(document, TINY.dcgan)).toThrow(
      /^D\.conv: padding "same" with stride 2 .* pads unevenly in TensorFlow/,
    );
  });

  it('is exported when the same layer has a padding PyTorch has', () => {
    const project = exportPyTorchProject(withConvolution({ stride: 2, padding: 1 }), TINY.dcgan);
    expect(project.files.get('model.py')).toContain('nn.Conv2d(');
  });
});
