import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument, type GraphDocument } from '../graph/document';
import { checkDocument } from '../graph/check';
import { edgeKey } from '../graph/resolve';
import { QUICK_STARTS, referenceValues, withQuickStart } from './quickStart';

function template(name: string): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, `../../templates/${name}.json`), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  return parsed.document;
}

const cyclegan = template('cyclegan');
const templates = [{ file: 'cyclegan.json', document: cyclegan }];

describe('the quick start, written into the document', () => {
  test('the edges show the size the first run trains at', () => {
    const doc = withQuickStart(cyclegan, QUICK_STARTS['cyclegan.json']!);
    const { inference, graph } = checkDocument(doc);
    const edge = graph!.edges.find((e) => e.source === 'data' && e.target === 'fake_B')!;
    expect(inference!.edges.get(edgeKey(edge))).toEqual([1, 64, 64, 3]);
  });

  test("says the reference's values of the variables still at their quick-start value", () => {
    const doc = withQuickStart(cyclegan, QUICK_STARTS['cyclegan.json']!);
    expect(referenceValues(doc, templates, QUICK_STARTS)).toEqual({
      size: 256,
      ngf: 64,
      ndf: 64,
      n_blocks: 9,
    });
    const resized = { ...doc, variables: { ...doc.variables, size: { value: 128 } } };
    expect(referenceValues(resized, templates, QUICK_STARTS)).not.toHaveProperty('size');
    expect(referenceValues(cyclegan, templates, QUICK_STARTS)).toEqual({});
  });

  test('leaves a variable the graph lacks, or one of another type, alone', () => {
    const doc = withQuickStart(cyclegan, { missing: 1, norm: 3 });
    expect(doc.variables).toEqual(cyclegan.variables);
  });
});
