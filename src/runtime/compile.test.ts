import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, type GraphDocument } from '../graph/document';
import { compileGraph } from './compile';

const template = readFileSync(new URL('../../templates/gan.json', import.meta.url), 'utf8');

describe('compileGraph validates what it is given, whatever its form', () => {
  it('a bare object with a format key is refused with problems, not thrown on', () => {
    for (const input of [
      { format: 'ganvas-graph' },
      { format: 'ganvas-graph', version: 1, nodes: 'none' },
      { format: 1, networks: [{ body: null }], nodes: [null], edges: [{}] },
    ]) {
      const result = compileGraph(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.problems.length).toBeGreaterThan(0);
        for (const p of result.problems) expect(p.code).toBeTruthy();
      }
    }
  });

  it('a GraphDocument with duplicate ids is refused as its file would be', () => {
    const parsed = parseDocument(template);
    if (!parsed.ok) throw new Error('the GAN template does not parse');
    const doc: GraphDocument = { ...parsed.document, nodes: [...parsed.document.nodes] };
    doc.nodes.push({ ...doc.nodes[0]! });
    const result = compileGraph(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.code).toBe('duplicate-id');
  });

  it('text, a parsed value and a parsed document compile alike', () => {
    const parsed = parseDocument(template);
    if (!parsed.ok) throw new Error('the GAN template does not parse');
    for (const input of [template, JSON.parse(template) as unknown, parsed.document]) {
      expect(compileGraph(input).ok).toBe(true);
    }
  });
});
