/**
 * The worker's session measures a run's quality every N steps and sends it as typed events,
 * each checked against the protocol's schema.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument, withDocumentId } from '../../src/graph/document';
import { selectBackend } from '../../src/runtime/backends/select';
import { BrowserTrainingEvent, TrainingEvent } from '../../src/runtime/worker/protocol';
import { TrainingSession } from '../../src/runtime/worker/trainingSession';

function template(name: string) {
  const parsed = parseDocument(
    readFileSync(new URL(`../../templates/${name}.json`, import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  return withDocumentId(parsed.document);
}

async function qualityEvents(name: string, overrides: Record<string, number>) {
  const s = new TrainingSession(tf);
  const events: TrainingEvent[] = [];
  await s.subscribe((e) => events.push(e));
  expect((await s.load({ document: template(name), overrides, seed: 1 })).ok).toBe(true);
  await s.run({ until: 4, qualityEvery: 2 });
  for (const e of events) {
    expect(TrainingEvent.safeParse(e).error?.issues).toBeUndefined();
    if (e.type !== 'checkpoint') expect(BrowserTrainingEvent.safeParse(e).success).toBe(true);
  }
  await s.stop();
  return events.flatMap((e) => (e.type === 'quality' ? [e] : []));
}

beforeAll(async () => {
  await selectBackend(tf, 'cpu');
});

describe('quality measured while training', () => {
  it('a translation run sends L1 against both baselines every 2 steps', async () => {
    const quality = await qualityEvents('cyclegan', {
      size: 16,
      ngf: 4,
      ndf: 4,
      n_blocks: 1,
      n_layers_D: 2,
    });
    expect(quality.map((e) => e.step)).toEqual([2, 4]);
    const report = quality[1]!.report;
    expect(report.kind === 'translation' && report.scores.map((s) => s.direction)).toEqual([
      'A→B',
      'B→A',
    ]);
  });

  it("an MNIST run sends the digit classifier's figures beside real digits'", async () => {
    const quality = await qualityEvents('dcgan', { size: 16, ngf: 4, ndf: 4, batch_size: 8 });
    expect(quality.map((e) => e.step)).toEqual([2, 4]);
    expect(quality[0]!.report).toMatchObject({
      kind: 'digits',
      network: 'G',
      generated: { samples: 256 },
      real: { confidentShare: expect.any(Number) },
    });
  });
});
