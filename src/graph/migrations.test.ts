import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeKind, type ParamsMigration } from '../nodes/kind';
import { parseDocument, serializeDocument, type GraphDocument } from './document';
import { migrationIdPrefix } from './migrations';

/**
 * A made-up kind with a history: version 0 wrote a blur's `size` (its width), version 1 its
 * `radius`, and version 2 replaced the `padding` flag by the `edges` choice.
 */
const migrations: ParamsMigration[] = [
  {
    id: 'Blur/1-size-to-radius',
    up: ({ size, ...rest }) => {
      if (typeof size !== 'number') throw new Error(`size is not a number: ${String(size)}`);
      return { ...rest, radius: (size - 1) / 2 };
    },
  },
  {
    id: 'Blur/2-padding-to-edges',
    up: ({ padding, ...rest }) => ({ ...rest, edges: padding === false ? 'zero' : 'reflect' }),
  },
];

const BlurNode = defineNodeKind({
  kind: 'Blur',
  category: 'layers',
  behavior: 'layer',
  description: 'A blur, for testing params migrations',
  scopes: ['network', 'graph'],
  params: z
    .object({
      radius: z.number().int().nonnegative().default(1),
      edges: z.enum(['reflect', 'zero']).default('reflect'),
    })
    .strict(),
  migrations,
  inputs: () => [],
  outputs: () => [],
  inferShapes: () => ({}),
});

const kinds = [BlurNode];

function documentWith(
  params: Record<string, unknown>,
  written?: Record<string, number>,
): Record<string, unknown> {
  return {
    format: 'ganvas-graph',
    version: 1,
    ...(written ? { kinds: written } : {}),
    name: 'blurs',
    variables: {},
    networks: [
      {
        id: 'G',
        role: 'generator',
        body: { nodes: [{ id: 'blur', kind: 'Blur', params }], edges: [] },
      },
    ],
    nodes: [{ id: 'blur', kind: 'Blur', params }],
    edges: [],
  };
}

function parsed(value: unknown): GraphDocument {
  const result = parseDocument(value, [], kinds);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.document;
}

describe("a kind's params migrations", () => {
  it('bring params written at version 0 (no versions recorded) up to the current version', () => {
    const doc = parsed(documentWith({ size: 5, padding: false }));
    expect(doc.nodes[0]!.params).toEqual({ radius: 2, edges: 'zero' });
    expect(doc.kinds).toEqual({ Blur: 2 });
  });

  it('leave a parsed document alone when it is parsed again, nodes added since included', () => {
    const doc = parsed({ ...documentWith({}), nodes: [], networks: [] });
    const added: GraphDocument = {
      ...doc,
      nodes: [{ id: 'added', kind: 'Blur', params: { radius: 3 } }],
    };
    expect(parsed(added).nodes[0]!.params).toEqual({ radius: 3 });
  });

  it('bring params written at version 1 up, running only the later step', () => {
    const doc = parsed(documentWith({ radius: 3, padding: true }, { Blur: 1 }));
    expect(doc.nodes[0]!.params).toEqual({ radius: 3, edges: 'reflect' });
  });

  it('leave params written at the current version as they are', () => {
    const params = { radius: 3, edges: 'zero', size: 'not read' };
    expect(parsed(documentWith(params, { Blur: 2 })).nodes[0]!.params).toEqual(params);
  });

  it('bring the layers of network bodies up too', () => {
    const doc = parsed(documentWith({ size: 3, padding: false }));
    expect(doc.networks[0]!.body!.nodes[0]!.params).toEqual({ radius: 1, edges: 'zero' });
  });

  it('refuse a document written with a newer version of a kind, naming the kind', () => {
    const result = parseDocument(documentWith({ radius: 1 }, { Blur: 3 }), [], kinds);
    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: 'kinds.Blur', code: 'version' }],
    });
    if (!result.ok) {
      expect(result.problems[0]!.message).toBe(
        'this document has Blur params of version 3, written by a newer Ganvas; this one reads Blur params up to version 2',
      );
    }
    const unknown = parseDocument(documentWith({ radius: 1 }, { Sharpen: 1 }), [], kinds);
    expect(unknown).toMatchObject({ ok: false, problems: [{ path: 'kinds.Sharpen' }] });
  });

  it('name the migration that failed and the node it failed on', () => {
    const result = parseDocument(documentWith({ radius: 1 }), [], kinds);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => p.path)).toEqual([
        'nodes[0].params',
        'networks[0].body.nodes[0].params',
      ]);
      expect(result.problems[0]!.message).toBe(
        'migration Blur/1-size-to-radius failed: size is not a number: undefined',
      );
    }
  });

  it('have ids that say their kind and the version they lead to, never renamed', () => {
    expect(migrations.map((m) => m.id)).toEqual([
      'Blur/1-size-to-radius',
      'Blur/2-padding-to-edges',
    ]);
    migrations.forEach((m, i) =>
      expect(m.id.startsWith(migrationIdPrefix('Blur', i + 1))).toBe(true),
    );
  });

  it('are recorded when a document is written, for the kinds it holds', () => {
    const doc = parsed(documentWith({ size: 5, padding: false }));
    const text = serializeDocument(doc, kinds);
    expect(JSON.parse(text).kinds).toEqual({ Blur: 2 });
    expect(parsed(text)).toEqual(doc);
    expect(serializeDocument({ ...doc, networks: [], nodes: [] }, kinds)).not.toContain('kinds');
  });
});
