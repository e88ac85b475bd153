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

const SMALL = { ngf: 8, ndf: 8, n_blocks: 2 };

const atVariables = (doc: GraphDocument, overrides: Record<string, number>) =>
  checkDocument(doc, overrides).problems.filter((p) => p.code === 'variable-constraint');

describe('what the networks ask of the graph variables', () => {
  it('size=30: two stride-2 downsamplings need a multiple of 4, said at the variable', () => {
    expect(atVariables(template('cyclegan'), { ...SMALL, size: 30 })).toEqual([
      {
        path: 'variables.size',
        variable: 'size',
        code: 'variable-constraint',
        message:
          'size=30: G_A and G_B downsample by 4 (model.4, model.7 stride 2), so size must be a multiple of 4: try 28 or 32',
      },
    ]);
  });

  it('derives the multiple from the layers: a third downsampling in G_A asks for 8, which G_B does not', () => {
    const doc = setParam(template('cyclegan'), 'model.1', 'stride', 2, 'G_A');
    const [problem] = atVariables(doc, { ...SMALL, size: 36 });
    expect(problem?.message).toBe(
      'size=36: G_A downsamples by 8 (model.1, model.4, model.7 stride 2), so size must be a multiple of 8: try 32 or 40',
    );
  });

  it('a U-Net-256 needs a multiple of 256, and a size that large', () => {
    const [problem] = atVariables(template('cyclegan-unet'), { size: 100, ngf: 8, ndf: 8 });
    expect(problem?.message).toMatch(
      /^size=100: G_A cannot take 100×100 \(down\.6\.0: .*\); it downsamples by 256 \(8 layers of stride 2, down\.0\.0 to down\.7\.0\), so size must be a multiple of 256 and at least 256$/,
    );
  });

  it('a PatchGAN needs a size its kernels fit in, found by its own layers', () => {
    const [problem] = atVariables(template('cyclegan'), { ...SMALL, size: 16 });
    expect(problem?.message).toMatch(
      /^size=16: D_A cannot take 16×16 \(model\.11: .*\), so it must be at least 24$/,
    );
  });

  it('says nothing at sizes the networks take', () => {
    for (const size of [32, 64, 256]) {
      expect(atVariables(template('cyclegan'), { ...SMALL, size })).toEqual([]);
    }
  });
});
