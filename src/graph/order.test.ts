import { describe, expect, it } from 'vitest';
import { workGrowth } from '../../test/arrayWork';
import { topologicalOrder } from './order';

const ids = (count: number) => Array.from({ length: count }, (_, i) => `n${i}`);

/** A chain listed last node first: every node waits for the one listed after it. */
function reversedChain(count: number) {
  const nodes = ids(count).reverse();
  const edges = nodes.slice(1).map((source, i) => ({ source, target: nodes[i]! }));
  return { nodes, edges };
}

/** Pairs of nodes feeding each other, each pair feeding a node after it. */
function pairCycles(pairs: number) {
  const nodes = ids(pairs * 3);
  const edges = Array.from({ length: pairs }, (_, i) => [
    { source: `n${3 * i}`, target: `n${3 * i + 1}` },
    { source: `n${3 * i + 1}`, target: `n${3 * i}` },
    { source: `n${3 * i + 1}`, target: `n${3 * i + 2}` },
  ]).flat();
  return { nodes, edges };
}

const ordering = (graph: (size: number) => ReturnType<typeof reversedChain>) => (size: number) => {
  const { nodes, edges } = graph(size);
  return () => topologicalOrder(nodes, edges);
};

describe('the order data flows in', () => {
  it('puts every node after the nodes it reads, and ignores edges to unknown nodes', () => {
    const { order, cycles } = topologicalOrder(
      ['c', 'b', 'a'],
      [
        { source: 'b', target: 'c' },
        { source: 'a', target: 'b' },
        { source: 'ghost', target: 'a' },
        { source: 'c', target: 'ghost' },
      ],
    );
    expect(order).toEqual(['a', 'b', 'c']);
    expect(cycles).toEqual([]);
  });

  it('names each cycle from the node listed first and leaves out what follows it', () => {
    const { order, cycles } = topologicalOrder(
      ['x', 'b', 'a', 'after', 'c'],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'a' },
        { source: 'c', target: 'after' },
      ],
    );
    expect(order).toEqual(['x']);
    expect(cycles).toEqual([['b', 'c', 'a']]);
  });

  it('takes work in proportion to the nodes, for a chain listed backwards', () => {
    expect(workGrowth(1000, ordering(reversedChain))).toBeLessThan(1.1);
  });

  it('takes work in proportion to the nodes, for a graph of many cycles', () => {
    const { cycles } = topologicalOrder(pairCycles(3).nodes, pairCycles(3).edges);
    expect(cycles).toEqual([
      ['n0', 'n1'],
      ['n3', 'n4'],
      ['n6', 'n7'],
    ]);
    expect(workGrowth(500, ordering(pairCycles))).toBeLessThan(1.1);
  });
});
