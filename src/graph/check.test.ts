import { describe, expect, it } from 'vitest';
import { workGrowth } from '../../test/arrayWork';
import { largeBodyDocument } from '../../test/graph/largeBody';
import { checkDocument } from './check';
import type { GraphDocument } from './document';

/** The large-body document with `count` previews of the generator's output in the graph. */
function withPreviews(doc: GraphDocument, count: number): GraphDocument {
  for (let i = 0; i < count; i++) {
    doc.nodes.push({ id: `look.${i}`, kind: 'Preview' });
    doc.edges.push({ source: 'fake', sourcePort: 'out', target: `look.${i}`, targetPort: 'in' });
  }
  return doc;
}

const checking = (build: (size: number) => GraphDocument) => (size: number) => {
  const doc = build(size);
  return () => checkDocument(doc);
};

describe('the check of a large graph', () => {
  it('infers every layer of a long network body', () => {
    const { valid, inference } = checkDocument(largeBodyDocument(300));
    expect(valid).toBe(true);
    const body = inference!.networks.get('G')!.applications.get('fake')!;
    expect(body.nodes.has('extra.299')).toBe(true);
    expect(body.edges.get('extra.299.out->output.in')).toEqual(body.output);
  });

  it('takes work in proportion to the layers of a network body', () => {
    expect(workGrowth(500, checking(largeBodyDocument))).toBeLessThan(1.1);
  });

  it('takes work in proportion to the layers when every third layer has a problem', () => {
    const { problems } = checkDocument(largeBodyDocument(30, { faulty: true }));
    expect(problems).toHaveLength(10);
    expect(problems[0]!.message).toBe('unknown variable "missing"');
    expect(
      workGrowth(
        500,
        checking((n) => largeBodyDocument(n, { faulty: true })),
      ),
    ).toBeLessThan(1.1);
  });

  it('takes work in proportion to the nodes of the training graph', () => {
    expect(checkDocument(withPreviews(largeBodyDocument(3), 5)).valid).toBe(true);
    expect(
      workGrowth(
        500,
        checking((n) => withPreviews(largeBodyDocument(3), n)),
      ),
    ).toBeLessThan(1.1);
  });
});
