/**
 * The order data flows in, and the edges at each node: every check walks a container (the
 * training graph or a network's body) through these, so that each pass visits a node and an edge
 * a bounded number of times and a body of thousands of layers checks within a frame.
 */

interface Link {
  source: string;
  target: string;
}

/** A container's edges by the node they leave and by the node they enter, in document order. */
export interface EdgesAtNodes<E extends Link> {
  outgoing: ReadonlyMap<string, readonly E[]>;
  incoming: ReadonlyMap<string, readonly E[]>;
}

const NONE: readonly never[] = [];

export function edgesAtNodes<E extends Link>(edges: readonly E[]): EdgesAtNodes<E> {
  const outgoing = new Map<string, E[]>();
  const incoming = new Map<string, E[]>();
  for (const e of edges) {
    const out = outgoing.get(e.source);
    if (out) out.push(e);
    else outgoing.set(e.source, [e]);
    const into = incoming.get(e.target);
    if (into) into.push(e);
    else incoming.set(e.target, [e]);
  }
  return { outgoing, incoming };
}

/** The edges leaving a node (none when it has none). */
export function edgesFrom<E extends Link>(at: EdgesAtNodes<E>, id: string): readonly E[] {
  return at.outgoing.get(id) ?? NONE;
}

/** The edges entering a node (none when it has none). */
export function edgesInto<E extends Link>(at: EdgesAtNodes<E>, id: string): readonly E[] {
  return at.incoming.get(id) ?? NONE;
}

/**
 * Orders nodes so that every edge goes forward. Nodes on a cycle, and nodes downstream of one,
 * are left out; each cycle is returned as the ids around it, from the one listed first.
 */
export function topologicalOrder(
  ids: readonly string[],
  edges: readonly Link[],
): { order: string[]; cycles: string[][] } {
  return orderAlong(ids, edgesAtNodes(edges));
}

/** As topologicalOrder, for edges already at their nodes; edges to or from other ids are ignored. */
export function orderAlong(
  ids: readonly string[],
  at: EdgesAtNodes<Link>,
): { order: string[]; cycles: string[][] } {
  const indegree = new Map<string, number>();
  for (const id of ids) indegree.set(id, 0);
  for (const id of indegree.keys()) {
    for (const e of edgesFrom(at, id)) {
      const count = indegree.get(e.target);
      if (count !== undefined) indegree.set(e.target, count + 1);
    }
  }
  // A queue read from its head: shift() would move every element each time.
  const order = [...indegree.keys()].filter((id) => indegree.get(id) === 0);
  for (let head = 0; head < order.length; head++) {
    for (const e of edgesFrom(at, order[head]!)) {
      const count = indegree.get(e.target);
      if (count === undefined) continue;
      indegree.set(e.target, count - 1);
      if (count === 1) order.push(e.target);
    }
  }
  const left = new Set([...indegree.keys()].filter((id) => indegree.get(id)! > 0));
  const cycles: string[][] = [];
  /** Where each id is listed: a cycle starts from the one listed first. */
  let place: Map<string, number> | undefined;
  // Every node left has a predecessor left (or its indegree would have reached zero): walking
  // backward, a node repeats, and that stretch is a cycle. What lies downstream of it (the walk
  // before the repeat included) is left out without being called a cycle itself, so each node
  // is walked once.
  while (left.size) {
    const walked = new Map<string, number>();
    const path: string[] = [];
    let id = left.values().next().value!;
    while (!walked.has(id)) {
      walked.set(id, path.length);
      path.push(id);
      id = edgesInto(at, id).find((e) => left.has(e.source))!.source;
    }
    const cycle = path.slice(walked.get(id)).reverse();
    place ??= new Map(ids.map((x, i) => [x, i]));
    let first = 0;
    cycle.forEach((x, i) => {
      if (place!.get(x)! < place!.get(cycle[first]!)!) first = i;
    });
    cycles.push([...cycle.slice(first), ...cycle.slice(0, first)]);
    const downstream = [...cycle];
    while (downstream.length) {
      const d = downstream.pop()!;
      if (!left.delete(d)) continue;
      for (const e of edgesFrom(at, d)) downstream.push(e.target);
    }
  }
  return { order, cycles };
}
