/**
 * Measuring a run's quality on tiny graphs of the templates: what it reports for each kind of
 * data, that the identity map scores the identity baseline, and that a measurement leaves no
 * tensor behind.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backends/select';
import { compileGraph } from '../compile';
import { builtinResolver, DataBatchSource, type DatasetResolver } from '../data/batches';
import type { Tensor } from '../../nodes/kind';
import { Trainer } from '../trainer';
import { translationQuality } from '../translationQuality';
import { QualityProbe } from './qualityProbe';
import { qualityLines } from './qualityWords';

function tinyTrainer(template: string, overrides: Record<string, number>): Trainer {
  const text = readFileSync(
    new URL(`../../../templates/${template}.json`, import.meta.url),
    'utf8',
  );
  const compiled = compileGraph(text, overrides);
  if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('\n'));
  return new Trainer(tf, compiled.program, { source: new DataBatchSource(), seed: 1 });
}

const CYCLEGAN = { size: 32, ngf: 4, ndf: 4, n_blocks: 1 };
const DCGAN = { size: 16, ngf: 4, ndf: 4, batch_size: 8 };

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

describe('translation quality', () => {
  it('of the identity map is the identity baseline, in both directions', async () => {
    const trainer = tinyTrainer('cyclegan', CYCLEGAN);
    const identity = Object.create(trainer) as Trainer;
    identity.runNetwork = (_id: string, input: Tensor) => tf.clone(input);
    const scores = await translationQuality(identity, builtinResolver('builtin:daynight', 32), 8);
    expect(scores.map((s) => s.direction)).toEqual(['A→B', 'B→A']);
    for (const s of scores) {
      expect(s.meanL1).toBeCloseTo(s.identityL1, 6);
      expect(s.identityL1).toBeGreaterThan(0.1);
    }
    trainer.dispose();
  });

  it("finds pix2pix's generator, whose output reaches the discriminator through a concat", async () => {
    const trainer = tinyTrainer('pix2pix', { size: 32, ngf: 4, ndf: 4, num_downs: 5 });
    const report = await new QualityProbe(trainer, builtinResolver, { scenes: 2 }).measure();
    expect(report.kind === 'translation' && report.scores.map((s) => s.network)).toEqual(['G']);
    trainer.dispose();
  });
});

describe('a quality measurement', () => {
  it('of a translation leaks no tensor, and scores against both baselines', async () => {
    const trainer = tinyTrainer('cyclegan', CYCLEGAN);
    const probe = new QualityProbe(trainer, builtinResolver, { scenes: 2 });
    await probe.measure();
    const before = tf.memory().numTensors;
    const report = await probe.measure();
    expect(tf.memory().numTensors).toBe(before);
    expect(report.kind).toBe('translation');
    if (report.kind !== 'translation') return;
    for (const s of report.scores) {
      expect(s.images).toBe(2);
      expect(s.blankL1).toBeGreaterThan(0);
      expect(s.identityL1).toBeGreaterThan(0);
    }
    probe.dispose();
    trainer.dispose();
  });

  it('of MNIST digits leaks no tensor, leaves training state alone, and reports the real ceiling', async () => {
    const trainer = tinyTrainer('dcgan', DCGAN);
    await trainer.step();
    const probe = new QualityProbe(trainer, builtinResolver);
    await probe.measure();
    const before = tf.memory().numTensors;
    const state = JSON.stringify(await trainer.saveState());
    const report = await probe.measure();
    expect(tf.memory().numTensors).toBe(before);
    // Batch norm's running statistics are not updated by measuring.
    expect(JSON.stringify(await trainer.saveState())).toBe(state);
    expect(report.kind).toBe('digits');
    if (report.kind !== 'digits') return;
    expect(report.network).toBe('G');
    expect(report.generated.samples).toBe(256);
    // One step of training makes no digits: fewer read confidently, far from the real halves.
    expect(report.real.confidentShare).toBeGreaterThan(report.generated.confidentShare + 0.5);
    expect(report.generated.frechetDistance).toBeGreaterThan(10 * report.real.frechetDistance);
    probe.dispose();
    trainer.dispose();
  });

  it('of data without true translations says so instead of measuring', async () => {
    const withoutTruth: DatasetResolver = (source, size) => ({
      ...builtinResolver(source, size),
      testTruth: undefined,
    });
    const trainer = tinyTrainer('cyclegan', CYCLEGAN);
    const report = await new QualityProbe(trainer, withoutTruth).measure();
    expect(report).toEqual({
      kind: 'unmeasured',
      why: 'no-true-translations',
      dataset: 'builtin:daynight',
    });
    trainer.dispose();
  });

  it('of a folder whose test images do not pair says why, in the report and its words', async () => {
    const why = "1 of testA/'s 3 images have no namesake in testB/ (0002)";
    const unpaired: DatasetResolver = (source, size) => ({
      ...builtinResolver(source, size),
      testTruth: undefined,
      whyNoTruth: why,
    });
    const trainer = tinyTrainer('cyclegan', CYCLEGAN);
    const report = await new QualityProbe(trainer, unpaired).measure();
    expect(report).toEqual({
      kind: 'unmeasured',
      why: 'no-true-translations',
      dataset: 'builtin:daynight',
      detail: why,
    });
    expect(qualityLines(report)[0]).toMatch(
      `builtin:daynight has no true translations to score against (${why}):`,
    );
    trainer.dispose();
  });
});
