/**
 * What training needs beyond shapes, checked on a resolved graph: every loss minimized by an
 * optimizer that updates a network it depends on, every network applied and updated once.
 */
import { paramsOf } from '../nodes/kind';
import { isNetworkApplication } from '../nodes/networkApplication';
import { OptimizerNode } from '../nodes/Optimizer';
import { networksNamed } from './networkReferences';
import { formatPath, type Problem } from './problems';
import type { ResolvedGraph } from './resolve';

/** Networks upstream of each node, following edges back but not through an image pool. */
function networksUpstream(graph: ResolvedGraph): Map<string, Set<string>> {
  const memo = new Map<string, Set<string>>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const visit = (id: string, stack: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const node = byId.get(id);
    const found = new Set<string>();
    if (!node || stack.has(id) || node.kind.behavior === 'pool') return found;
    stack.add(id);
    // A node depends on the networks it names: an application's, a gradient penalty's critic.
    for (const network of networksNamed(node.kind, node.params)) found.add(network);
    for (const e of graph.edges) {
      if (e.target === id) for (const n of visit(e.source, stack)) found.add(n);
    }
    stack.delete(id);
    memo.set(id, found);
    return found;
  };
  for (const n of graph.nodes) visit(n.id, new Set());
  return memo;
}

/** Nodes downstream of a node that did not resolve: which networks they depend on is unknown. */
function downstreamOfUnresolved(graph: ResolvedGraph): Set<string> {
  const found = new Set<string>();
  // "node.port": node ids may hold dots, port names do not.
  const queue = [...(graph.unresolvedInputs ?? [])].map((key) =>
    key.slice(0, key.lastIndexOf('.')),
  );
  while (queue.length) {
    const id = queue.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    for (const e of graph.edges) if (e.source === id) queue.push(e.target);
  }
  return found;
}

/** What training needs beyond shapes: every loss optimized, every network updated. */
export function trainingProblems(graph: ResolvedGraph): Problem[] {
  const problems: Problem[] = [];
  const upstream = networksUpstream(graph);
  const unknown = downstreamOfUnresolved(graph);
  const optimizers = graph.nodes.filter((n) => n.kind.behavior === 'optimizer');
  const updated = new Set(optimizers.flatMap((o) => paramsOf(OptimizerNode, o).networks));
  const applied = new Set(
    graph.nodes.flatMap((n) => (isNetworkApplication(n.kind) ? [paramsOf(n.kind, n).network] : [])),
  );
  for (const loss of graph.nodes.filter((n) => n.kind.behavior === 'loss')) {
    const consumers = graph.edges.filter((e) => e.source === loss.id).map((e) => e.target);
    if (!consumers.some((id) => optimizers.some((o) => o.id === id))) {
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
    for (const e of graph.edges.filter((x) => x.target === opt.id)) {
      const reaches = [...(upstream.get(e.source) ?? [])].filter((n) => own.has(n));
      if (reaches.length === 0 && !unknown.has(e.source)) {
        problems.push({
          path: formatPath(e.path),
          nodeId: opt.id,
          port: 'loss',
          code: 'optimizer',
          message: `loss "${e.source}" does not depend on any network optimizer "${opt.id}" updates (${[...own].join(', ')}): its gradient would be zero`,
        });
      }
    }
    if (!graph.edges.some((e) => e.target === opt.id)) {
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
