import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDocument, type GraphDocument } from '../graph/document';
import { checkDocument } from '../graph/check';
import { addNodeOfKind } from './nodeFactory';

function template(name: string): GraphDocument {
  const parsed = parseDocument(
    readFileSync(join(import.meta.dirname, `../../templates/${name}.json`), 'utf8'),
  );
  if (!parsed.ok) throw new Error(`${name} does not parse`);
  return parsed.document;
}

const paramsOfNew = (doc: GraphDocument, kind: string) => {
  const added = addNodeOfKind(doc, kind, { x: 0, y: 0 });
  if (!added.ok) throw new Error(added.reason);
  const node = added.document.nodes.find((n) => n.id === added.ids[0])!;
  return { document: added.document, node };
};

describe('a new node', () => {
  test("a gradient penalty penalizes the document's critic, a discriminator", () => {
    const { document, node } = paramsOfNew(template('wgan-gp'), 'GradientPenalty');
    expect(node.params?.network).toBe('D');
    const problems = checkDocument(document).problems.filter((p) => p.nodeId === node.id);
    expect(problems.map((p) => p.code)).not.toContain('param');
  });

  test('an optimizer starts with the networks no optimizer updates yet', () => {
    const doc = template('wgan-gp');
    const without = {
      ...doc,
      nodes: doc.nodes.filter(
        (n) => n.kind !== 'Optimizer' || !(n.params?.networks as string[]).includes('G'),
      ),
    };
    expect(paramsOfNew(without, 'Optimizer').node.params?.networks).toEqual(['G']);
  });

  test('a layer offered in the training graph is refused in words, with its article', () => {
    const added = addNodeOfKind(template('wgan-gp'), 'Activation', { x: 0, y: 0 });
    expect(added).toEqual({
      ok: false,
      reason: 'an Activation layer belongs inside a network: open one to add it',
    });
  });
});
