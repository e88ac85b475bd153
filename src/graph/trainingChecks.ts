/**
 * What training needs beyond shapes, checked on a resolved graph: every loss minimized by an
 * optimizer that updates a network it depends on, every network applied and updated once.
 */
import { paramsOf } from '../nodes/kind';
import { isNetworkApplication } from '../nodes/networkApplication';
import { OptimizerNode } from '../nodes/Optimizer';
import { networksNamed } from './networkReferences';
import { formatPath, type Problem } from './problems';
import { edgesAtNodes, edgesFrom, edgesInto, orderAlong, type EdgesAtNodes } from './order';
import type { ResolvedEdge, ResolvedGraph } from './resolve';

/**
 * Networks upstream of each node, following edges back but not through an image pool, in one
 * pass in data order. A node that only passes its one input on shares that input's set. Nodes on
 * a cycle (an error of its own) and after one are left out: what they depend on is unknown.
 */
function networksUpstream(
  graph: ResolvedGraph,
  at: EdgesAtNodes<ResolvedEdge>,
): Map<string, ReadonlySet<string>> {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const found = new Map<string, ReadonlySet<string>>();
  const none: ReadonlySet<string> = new Set();
  const { order } = orderAlong([...byId.keys()], at);
  for (const id of order) {
    const node = byId.get(id)!;
    if (node.kind.behavior === 'pool') {
      found.set(id, none);
      continue;
    }
    // A node depends on the networks it names: an application's, a gradient penalty's critic.
    const named = networksNamed(node.kind, node.params);
    const into = edgesInto(at, id);
    if (named.length === 0 && into.length === 1) {
      found.set(id, found.get(into[0]!.source) ?? none);
      continue;
    }
    const networks = new Set(named);
    for (const e of into) for (const n of found.get(e.source) ?? none) networks.add(n);
    found.set(id, networks);
  }
  return found;
}

/** Nodes downstream of a node that did not resolve: which networks they depend on is unknown. */
function downstreamOfUnresolved(graph: ResolvedGraph, at: EdgesAtNodes<ResolvedEdge>): Set<string> {
  const found = new Set<string>();
  // "node.port": node ids may hold dots, port names do not.
  const queue = [...(graph.unresolvedInputs ?? [])].map((key) =>
    key.slice(0, key.lastIndexOf('.')),
  );
  while (queue.length) {
    const id = queue.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    for (const e of edgesFrom(at, id)) queue.push(e.target);
  }
  return found;
}

/** What training needs beyond shapes: every loss optimized, every network updated. */
export function trainingProblems(graph: ResolvedGraph): Problem[] {
  const problems: Problem[] = [];
  const at = edgesAtNodes(graph.edges);
  const upstream = networksUpstream(graph, at);
  const unknown = downstreamOfUnresolved(graph, at);
  const optimizers = graph.nodes.filter((n) => n.kind.behavior === 'optimizer');
  const optimizerIds = new Set(optimizers.map((o) => o.id));
  const updated = new Set(optimizers.flatMap((o) => paramsOf(OptimizerNode, o).networks));
  const applied = new Set(
    graph.nodes.flatMap((n) => (isNetworkApplication(n.kind) ? [paramsOf(n.kind, n).network] : [])),
  );
  for (const loss of graph.nodes.filter((n) => n.kind.behavior === 'loss')) {
    if (!edgesFrom(at, loss.id).some((e) => optimizerIds.has(e.target))) {
      problems.push({
        path: formatPath(loss.path),
        nodeId: loss.id,
        port: 'loss',
        code: 'optimizer',
        message: `loss "${loss.id}" is not wired to any optimizer, so nothing minimizes it`,
      });
    }
  }
  for (const opt of optimizers) {
    const own = new Set(paramsOf(OptimizerNode, opt).networks);
    for (const e of edgesInto(at, opt.id)) {
      const reaches = [...own].some((n) => upstream.get(e.source)?.has(n));
      if (!reaches && upstream.has(e.source) && !unknown.has(e.source)) {
        problems.push({
          path: formatPath(e.path),
          nodeId: opt.id,
          port: 'loss',
          code: 'optimizer',
          message: `loss "${e.source}" does not depend on any network optimizer "${opt.id}" updates (${[...own].join(', ')}): its gradient would be zero`,
        });
      }
    }
    if (edgesInto(at, opt.id).length === 0) {
      problems.push({
        path: formatPath(opt.path),
        nodeId: opt.id,
        port: 'loss',
        code: 'optimizer',
        message: `optimizer "${opt.id}" has no loss wired to it`,
      });
    }
  }
  for (const net of graph.networks) {
    if (!applied.has(net.id)) {
      problems.push({
        path: formatPath(net.path),
        networkId: net.id,
        severity: 'warning',
        code: 'network',
        message: `network "${net.id}" is never applied`,
      });
    } else if (!updated.has(net.id)) {
      problems.push({
        path: formatPath(net.path),
        networkId: net.id,
        code: 'optimizer',
        message: `network "${net.id}" is not updated by any optimizer`,
      });
    }
  }
  const claimed = new Map<string, string>();
  for (const opt of optimizers) {
    paramsOf(OptimizerNode, opt).networks.forEach((id, j) => {
      const other = claimed.get(id);
      if (other) {
        problems.push({
          path: formatPath([...opt.path, 'params', 'networks', j]),
          nodeId: opt.id,
          code: 'optimizer',
          message: `network "${id}" is already updated by optimizer "${other}"`,
        });
      }
      claimed.set(id, opt.id);
    });
  }
  return problems;
}
