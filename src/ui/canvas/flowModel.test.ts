import { describe, expect, it } from 'vitest';
import { workGrowth } from '../../../test/arrayWork';
import { largeBodyDocument } from '../../../test/graph/largeBody';
import { checkDocument } from '../../graph/check';
import { variableValues } from '../../graph/edits';
import { networkBodyFlow, trainingGraphFlow } from './flowModel';

const drawing = (faulty: boolean) => (size: number) => {
  const doc = largeBodyDocument(size, { faulty });
  const check = checkDocument(doc);
  const variables = variableValues(doc);
  return () => {
    trainingGraphFlow(doc, check, variables);
    networkBodyFlow(doc, check, variables, 'G', undefined);
  };
};

describe('the flow model of a large network body', () => {
  it('pins each problem on its layer and its edge', () => {
    const doc = largeBodyDocument(6, { faulty: true });
    const body = doc.networks.find((n) => n.id === 'G')!.body!;
    body.edges.push({ source: 'extra.4', sourcePort: 'out', target: 'nowhere', targetPort: 'in' });
    const { nodes, edges } = networkBodyFlow(
      doc,
      checkDocument(doc),
      variableValues(doc),
      'G',
      undefined,
    );
    const conv = nodes.find((n) => n.id === 'extra.3')!;
    expect(conv.data.problems).toEqual(['unknown variable "missing"']);
    expect(nodes.find((n) => n.id === 'extra.4')!.data.problems).toEqual([]);
    expect(edges.flatMap((e) => e.data?.problem ?? [])).toEqual(['no node "nowhere"']);
    expect(edges.at(-1)!.data!.problem).toBe('no node "nowhere"');
  });

  it('takes work in proportion to the layers', () => {
    expect(workGrowth(500, drawing(false))).toBeLessThan(1.1);
  });

  it('takes work in proportion to the layers when a third of them have a problem', () => {
    expect(workGrowth(500, drawing(true))).toBeLessThan(1.1);
  });

  it('draws a node whose param is nested thousands deep', () => {
    const doc = largeBodyDocument(3);
    let nested: unknown = 1;
    for (let i = 0; i < 10_000; i++) nested = [nested];
    doc.nodes = doc.nodes.map((n) => (n.id === 'z' ? { ...n, params: { dim: nested } } : n));
    const check = checkDocument(doc);
    expect(check.problems.map((p) => p.message)).toEqual(['nested deeper than 64 levels']);
    const { nodes } = trainingGraphFlow(doc, check, variableValues(doc));
    expect(nodes.find((n) => n.id === 'z')!.data.summary).toBe('dim …');
  });
});
