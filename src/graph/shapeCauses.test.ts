import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDocument } from './check';
import { parseDocument, type GraphDocument } from './document';
import { setParam } from './edits';

function template(name: string): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, `../../templates/${name}.json`), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  return parsed.document;
}

const SMALL = { size: 32, ngf: 8, ndf: 8, n_blocks: 2 };

describe('shape problems said at their cause', () => {
  it("names G_A and model.4 at the generator when model.4's stride becomes 1", () => {
    const doc = setParam(template('cyclegan'), 'model.4', 'stride', 1, 'G_A');
    const { problems } = checkDocument(doc, SMALL);
    const atFakeB = problems.find((p) => p.code === 'shape-cause' && p.nodeId === 'fake_B');
    expect(atFakeB?.message).toBe(
      'G_A · model.4 (stride 1) makes 64×64 from 32×32; fake_B must be 32×32 like real_A (stride 2 at model.4 gives that)',
    );
    // The JSON path is the detail: where the stride is written.
    expect(atFakeB?.path).toBe('networks[0].body.nodes[5].params.stride');
    // Every application of G_A gets it; G_B's do not.
    const causes = problems.filter((p) => p.code === 'shape-cause');
    expect(causes.map((p) => p.nodeId).sort()).toEqual(['fake_B', 'rec_B', 'same_B']);
    // Said before the losses where the shapes collide.
    const firstCollision = problems.findIndex((p) => p.code === 'shape');
    expect(problems.indexOf(atFakeB!)).toBeLessThan(firstCollision);
  });

  it('names the layer built like the other downsamplings, not another stride that would also do', () => {
    // A 7×7 stem at stride 2 would also give back 32×32, but model.4 is the one that broke.
    const doc = setParam(template('cyclegan'), 'model.4', 'stride', 1, 'G_A');
    const { problems } = checkDocument(doc, SMALL);
    expect(problems.some((p) => p.message.includes('model.1 '))).toBe(false);
  });

  it('names the layer that gives the wrong number of channels', () => {
    const doc = setParam(template('cyclegan'), 'model.26', 'filters', 1, 'G_B');
    const { problems } = checkDocument(doc, SMALL);
    // rec_A and same_A meet real_A at the cycle and identity losses; fake_A only meets D_B,
    // which takes any channels, so nothing downstream of it collides.
    const causes = problems.filter((p) => p.code === 'shape-cause');
    expect(causes.map((p) => [p.nodeId, p.message])).toEqual([
      [
        'rec_A',
        'G_B · model.26 (filters 1) gives 1 channel, so G_B makes 1 channel from 3 channels; rec_A must have 3 channels like fake_B',
      ],
      [
        'same_A',
        'G_B · model.26 (filters 1) gives 1 channel, so G_B makes 1 channel from 3 channels; same_A must have 3 channels like real_A',
      ],
    ]);
  });

  it('says nothing when the shapes fit', () => {
    const { problems } = checkDocument(template('cyclegan'), SMALL);
    expect(problems).toEqual([]);
  });

  it('leaves a size the graph variables gave to the variable, not to each application', () => {
    const { problems } = checkDocument(template('cyclegan'), { ...SMALL, size: 30 });
    expect(problems.filter((p) => p.code === 'shape-cause')).toEqual([]);
    expect(problems[0]?.code).toBe('variable-constraint');
  });
});
