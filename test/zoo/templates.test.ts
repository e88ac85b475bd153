/**
 * Every template in templates/: it parses, `ganvas check` finds no error at its own (seed-faithful)
 * sizes, it declares the graph variables that shrink it, and it trains a few steps on the cpu
 * with finite losses, every loss term named in the log; its networks export to graph models.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGraph } from '../../src/graph/check';
import { parseDocument } from '../../src/graph/document';
import { isError } from '../../src/graph/problems';
import { selectBackend } from '../../src/runtime/backends/select';
import { exportGraphModel } from '../../src/runtime/export/graphModel';
import { readTemplate, templateNames, TINY, tinyProgram, tinyTrainer } from './tiny';

const STEPS = 2;

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

describe('the template zoo', () => {
  it('holds the model families of the issue, each with tiny sizes for tests', () => {
    expect(templateNames()).toEqual(
      expect.arrayContaining([
        'began',
        'cyclegan',
        'cyclegan-discoloss',
        'cyclegan-unet',
        'dcgan',
        'discogan',
        'ebgan',
        'gan',
        'lsgan',
        'pix2pix',
        'wgan',
        'wgan-gp',
      ]),
    );
    expect(Object.keys(TINY).sort()).toEqual(templateNames());
  });
});

describe.each(templateNames())('template %s', (name) => {
  it('parses and has a name and a description that cites its source', () => {
    const parsed = parseDocument(readTemplate(name));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.document.name.length).toBeGreaterThan(0);
    expect(parsed.document.description!.length).toBeGreaterThan(80);
  });

  it('checks without errors at its own sizes and at the tiny ones', () => {
    for (const overrides of [{}, TINY[name]!]) {
      const result = checkGraph(readTemplate(name), overrides);
      expect(result.problems.filter(isError), JSON.stringify(overrides)).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it(`trains ${STEPS} steps on the cpu at the tiny sizes with finite losses`, async () => {
    const program = tinyProgram(name);
    const trainer = tinyTrainer(tf, program);
    try {
      for (let step = 1; step <= STEPS; step++) {
        const result = await trainer.step();
        expect(Object.keys(result.losses).sort()).toEqual([...program.losses].sort());
        for (const [term, value] of Object.entries(result.losses)) {
          expect(Number.isFinite(value), `step ${step} ${term} = ${value}`).toBe(true);
        }
      }
    } finally {
      trainer.dispose();
    }
  });

  // Tolerance 1e-5 absolute, as the export's own test: the same cpu kernels on both sides.
  it('exports every network to a graph model that computes what the trainer computes', async () => {
    const program = tinyProgram(name);
    const trainer = tinyTrainer(tf, program);
    try {
      for (const net of program.networks) {
        const { modelJson, weights } = await exportGraphModel(trainer, net.id);
        const model = await tf.loadGraphModel(
          tf.io.fromMemory({
            modelTopology: modelJson.modelTopology,
            weightSpecs: modelJson.weightsManifest[0]!.weights,
            weightData: weights.slice().buffer,
            format: modelJson.format,
            generatedBy: modelJson.generatedBy,
            convertedBy: modelJson.convertedBy,
            signature: modelJson.signature,
          }),
        );
        const shape = modelJson.signature.inputs;
        const input = Object.values(shape)[0]!.tensorShape.dim.map((d) => Number(d.size));
        const x = tf.randomUniform([2, ...input.slice(1)], -1, 1, 'float32', 7);
        const ours = tf.tidy(() => trainer.runNetwork(net.id, x, false));
        const theirs = model.predict(x) as tf.Tensor;
        expect(theirs.shape, net.id).toEqual(ours.shape);
        expect(tf.max(tf.abs(tf.sub(theirs, ours))).dataSync()[0], net.id).toBeLessThan(1e-5);
        tf.dispose([x, ours, theirs]);
        model.dispose();
      }
    } finally {
      trainer.dispose();
    }
  });
});
