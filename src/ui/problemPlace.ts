/**
 * Where a problem is, in the names on screen: a node and its port, a network's layer, a graph
 * variable. The JSON path stays beside it as the detail.
 */
import type { Problem } from '../graph/problems';

export function problemPlace(p: Problem): string {
  if (p.variable !== undefined) return `variable ${p.variable}`;
  if (p.networkId !== undefined && p.nodeId !== undefined) return `${p.networkId} · ${p.nodeId}`;
  if (p.networkId !== undefined) return `network ${p.networkId}`;
  if (p.nodeId !== undefined) return p.port ? `${p.nodeId} · ${p.port}` : p.nodeId;
  return 'graph';
}
