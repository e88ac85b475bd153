/**
 * What a pass of inference reads about a container (the training graph or a network's body),
 * computed once however often the container is applied: its nodes numbered by their place, its
 * edges at their ends by number, the order data flows in. Numbers in typed arrays, not ids in
 * maps: a body of 10,000 layers is walked without hashing an id or allocating per node, which is
 * most of what a check of such a body used to spend (see bench/checkLarge.ts).
 */
import { edgesAtNodes, orderAlong } from './order';
import { edgeKey, type ResolvedBody, type ResolvedEdge, type ResolvedNode } from './resolve';

export interface Plan {
  nodes: readonly ResolvedNode[];
  edges: readonly ResolvedEdge[];
  /** Edge i leaves nodes[source[i]]. */
  source: Int32Array;
  /** The edges entering node p are intoEdges[intoStart[p]] up to intoStart[p + 1], in document order. */
  intoStart: Int32Array;
  intoEdges: Int32Array;
  /** As intoStart and intoEdges, for the edges leaving a node. */
  fromStart: Int32Array;
  fromEdges: Int32Array;
  /** Node places in data order; nodes on a cycle and after one are left out. */
  order: Int32Array;
  cycles: ResolvedNode[][];
  /** The place of the body's Output node, or -1. */
  output: number;
  /** Edge keys, made at the first application that needs them and kept for the others. */
  keys: (string | undefined)[];
}

/** Edge places grouped by the node each counts from, in document order within a node. */
function grouped(ends: Int32Array, nodeCount: number): { start: Int32Array; edges: Int32Array } {
  const start = new Int32Array(nodeCount + 1);
  for (const end of ends) if (end >= 0) start[end + 1]!++;
  for (let p = 0; p < nodeCount; p++) start[p + 1]! += start[p]!;
  const next = start.slice(0, nodeCount);
  const edges = new Int32Array(start[nodeCount]!);
  ends.forEach((end, i) => {
    if (end >= 0) edges[next[end]!++] = i;
  });
  return { start, edges };
}

export function planOf({ nodes, edges }: ResolvedBody): Plan {
  const place = new Map<string, number>();
  nodes.forEach((n, p) => place.set(n.id, p));
  const source = new Int32Array(edges.length);
  const target = new Int32Array(edges.length);
  edges.forEach((e, i) => {
    // A resolved edge joins resolved nodes; one that does not is left out like orderAlong does.
    const from = place.get(e.source);
    const to = place.get(e.target);
    const joined = from !== undefined && to !== undefined;
    source[i] = joined ? from : -1;
    target[i] = joined ? to : -1;
  });
  const into = grouped(target, nodes.length);
  const from = grouped(source, nodes.length);

  // Kahn's order, as orderAlong takes it: the sources in document order, then each node once
  // its last input is placed, its outgoing edges read in document order.
  const waiting = new Int32Array(nodes.length);
  for (let p = 0; p < nodes.length; p++) waiting[p] = into.start[p + 1]! - into.start[p]!;
  const order = new Int32Array(nodes.length);
  let placed = 0;
  for (let p = 0; p < nodes.length; p++) if (waiting[p] === 0) order[placed++] = p;
  for (let head = 0; head < placed; head++) {
    const p = order[head]!;
    for (let k = from.start[p]!; k < from.start[p + 1]!; k++) {
      const t = target[from.edges[k]!]!;
      if (--waiting[t]! === 0) order[placed++] = t;
    }
  }
  // Cycles are rare and reported once: orderAlong finds and names them.
  const cycles =
    placed === nodes.length
      ? []
      : orderAlong(
          nodes.map((n) => n.id),
          edgesAtNodes(edges),
        ).cycles.map((cycle) => cycle.map((id) => nodes[place.get(id)!]!));
  return {
    nodes,
    edges,
    source,
    intoStart: into.start,
    intoEdges: into.edges,
    fromStart: from.start,
    fromEdges: from.edges,
    order: order.subarray(0, placed),
    cycles,
    output: nodes.findIndex((n) => n.kind.behavior === 'output'),
    keys: [],
  };
}

/** The key of the plan's edge i (as edgeKey makes it). */
export function keyOf(plan: Plan, i: number): string {
  return (plan.keys[i] ??= edgeKey(plan.edges[i]!));
}
