import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument } from './document';
import { moveNodes, setVariable } from './edits';
import { graphRevision } from './revision';

const doc = () => {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, '../../templates/cyclegan.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the template does not parse');
  return parsed.document;
};

describe('graphRevision', () => {
  test('moving a node, renaming or giving an id leaves it; an edit or an override changes it', () => {
    const d = doc();
    const revision = graphRevision(d, {});
    expect(revision).toMatch(/^[0-9a-f]{16}$/);
    expect(graphRevision(moveNodes(d, { fake_B: { x: 1, y: 2 } }), {})).toBe(revision);
    expect(graphRevision({ ...d, name: 'Mine', id: 'doc-1' }, {})).toBe(revision);
    expect(graphRevision(setVariable(d, 'lr', 1e-4), {})).not.toBe(revision);
    expect(graphRevision(d, { size: 64 })).not.toBe(revision);
  });
});
