import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_DEPTH_LIMIT, DOCUMENT_SIZE_LIMIT, parseDocument } from './document';

const template = readFileSync(new URL('../../templates/cyclegan.json', import.meta.url), 'utf8');

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

function refused(result: ReturnType<typeof parseDocument>) {
  if (result.ok) throw new Error('expected the document to be refused');
  return result.problems;
}

describe('documents past their caps', () => {
  it('text longer than the size cap is refused before it is read, saying how large it is', () => {
    const text = template.replace(
      '"name"',
      `"padding": "${'x'.repeat(DOCUMENT_SIZE_LIMIT)}", "name"`,
    );
    const [problem] = refused(parseDocument(text));
    expect(problem).toMatchObject({ path: '$', code: 'limit' });
    expect(problem!.message).toMatch(/^8\.0 MiB of text, more than a document may hold \(8 MiB\)/);
  });

  it('a param nested 10,000 deep is a problem at the place it passes the depth cap', () => {
    const doc = JSON.parse(template) as { nodes: { params?: Record<string, unknown> }[] };
    doc.nodes[0]!.params = { deep: 'here' };
    // JSON.stringify itself overflows on such a value: the text is written by hand.
    const text = JSON.stringify(doc).replace(
      '"here"',
      `${'['.repeat(10_000)}1${']'.repeat(10_000)}`,
    );
    doc.nodes[0]!.params = { deep: nested(10_000) };
    for (const input of [doc, text]) {
      const [problem] = refused(parseDocument(input));
      expect(problem!.code).toBe('limit');
      expect(problem!.message).toBe(`nested more than ${DOCUMENT_DEPTH_LIMIT} deep: refused`);
      expect(problem!.path).toMatch(/^nodes\[0\]\.params\.deep(\[0\])+$/);
    }
  });

  it('a value that refers to itself is refused at the depth cap, not walked forever', () => {
    const doc = JSON.parse(template) as Record<string, unknown>;
    doc.networks = [doc];
    expect(refused(parseDocument(doc))[0]!.code).toBe('limit');
  });

  it('a value sharing its parts is counted as its JSON would be: 2^40 leaves are refused', () => {
    const doc = JSON.parse(template) as { nodes: { params?: Record<string, unknown> }[] };
    let shared: unknown = 'leaf';
    for (let i = 0; i < 40; i++) shared = [shared, shared];
    doc.nodes[0]!.params = { shared };
    const [problem] = refused(parseDocument(doc));
    expect(problem).toMatchObject({ code: 'limit', message: 'larger than 8 MiB as JSON: refused' });
    expect(problem!.path).toMatch(/^nodes\[0\]\.params\.shared/);
  });

  it('a real document is far inside both caps', () => {
    expect(template.length).toBeLessThan(DOCUMENT_SIZE_LIMIT / 100);
    expect(parseDocument(template).ok).toBe(true);
  });
});
