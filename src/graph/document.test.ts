import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument, serializeDocument } from './document';
import { migrateDocument, type Migration } from './migrations';

const templatesDir = new URL('../../templates/', import.meta.url);
const templates = readdirSync(templatesDir).filter((f) => f.endsWith('.json'));

describe('graph documents', () => {
  it('there is at least the CycleGAN template', () => {
    expect(templates).toContain('cyclegan.json');
  });

  it.each(templates)('%s round-trips: parse, serialize, parse gives the same document', (file) => {
    const text = readFileSync(new URL(file, templatesDir), 'utf8');
    const first = parseDocument(text);
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    const again = parseDocument(serializeDocument(first.document));
    if (!again.ok) throw new Error(JSON.stringify(again.problems));
    expect(again.document).toEqual(first.document);
    expect(serializeDocument(again.document)).toBe(serializeDocument(first.document));
  });

  it('never throws: bad input comes back as problems with places', () => {
    for (const input of ['{', '[]', 'null', '42', null, undefined, [], { version: 1 }]) {
      const result = parseDocument(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems[0]!.path).toMatch(/^(\$|version|format|name)/);
    }
  });

  it('reports every structural problem at once, each with its JSON path', () => {
    const doc = JSON.parse(readFileSync(new URL('cyclegan.json', templatesDir), 'utf8'));
    doc.nodes[2].position.x = 'left';
    doc.edges[4].targetPort = 7;
    doc.extra = true;
    const result = parseDocument(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['nodes[2].position.x', 'edges[4].targetPort', '$']),
    );
    expect(result.problems.find((p) => p.path === '$')!.message).toBe('unknown field "extra"');
  });

  it('a variable is named as expressions read names: no "-", which they would read as minus', () => {
    const doc = JSON.parse(readFileSync(new URL('cyclegan.json', templatesDir), 'utf8'));
    doc.variables['n-blocks'] = { value: 9 };
    const result = parseDocument(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        path: 'variables["n-blocks"]',
        code: 'schema',
        message:
          'a variable name starts with a letter or "_" and holds letters, digits and "_", received "n-blocks"',
      },
    ]);
  });
});

describe('migrations', () => {
  // A made-up history: version 1 named edge ports "from"/"to", version 2 added a "notes" field.
  const history: Migration[] = [
    {
      id: 'test-edge-ports',
      from: 1,
      up: (doc) => ({
        ...doc,
        edges: (doc.edges as { from: string }[]).map((e) => ({ source: e.from })),
      }),
    },
    { id: 'test-notes', from: 2, up: (doc) => ({ ...doc, notes: [] }) },
  ];

  it('bring an old document up to the current version, one step at a time', () => {
    const result = migrateDocument({ version: 1, edges: [{ from: 'a' }] }, history, 3);
    expect(result).toEqual({
      ok: true,
      value: { version: 3, edges: [{ source: 'a' }], notes: [] },
      from: 1,
    });
  });

  it('refuse a document from a newer Ganvas, saying so', () => {
    const result = migrateDocument({ version: 4 }, history, 3);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toContain('written by a newer Ganvas');
  });

  it('name the migration that failed', () => {
    const broken: Migration[] = [
      {
        id: 'test-broken',
        from: 1,
        up: () => {
          throw new Error('no edges');
        },
      },
    ];
    const result = migrateDocument({ version: 1 }, broken, 2);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]!.message).toBe('migration test-broken failed: no edges');
  });

  it('leave a current document as it is', () => {
    expect(migrateDocument({ version: 1 }, history, 1)).toEqual({
      ok: true,
      value: { version: 1 },
    });
  });
});

describe('a JSON file that is not a graph', () => {
  it('is answered "not a Ganvas graph", with what a graph lacks after it', () => {
    const parsed = parseDocument('{"foo":1}');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0]).toEqual({
      path: '$',
      code: 'not-a-graph',
      message:
        'not a Ganvas graph: a graph has "format": "ganvas-graph", a version, nodes and edges; it holds "foo"',
    });
    expect(parsed.problems.slice(1).map((p) => p.path)).toContain('format');
  });
});
