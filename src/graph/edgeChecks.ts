/**
 * The edges of a container (the training graph or a network's body) checked against the ports
 * they join, each problem at the edge's place.
 */
import { canConnect } from './connections';
import type { EdgeDocument } from './document';
import { formatPath, type Problem } from './problems';
import type { ResolvedEdge, ResolvedNode } from './resolve';

type Path = (string | number)[];

/**
 * Checks edges against the ports they join; returns the edges that are sound, and the inputs
 * wired from nodes that did not resolve. `at` is the edges' array, or for a preset's generated
 * body (whose edges are not written in the document) the preset itself.
 */
export function resolveEdges(
  edges: readonly EdgeDocument[],
  nodes: ReadonlyMap<string, ResolvedNode>,
  declared: ReadonlySet<string>,
  at: Path,
  problems: Problem[],
  networkId?: string,
  generated = false,
): { edges: ResolvedEdge[]; unresolvedInputs: Set<string> } {
  const sound: ResolvedEdge[] = [];
  const unresolvedInputs = new Set<string>();
  const taken = new Map<string, number>();
  const scope = networkId ? { networkId } : {};
  const missingEnd = (path: Path, end: 'source' | 'target', id: string) =>
    problems.push({
      ...scope,
      path: formatPath([...path, end]),
      code: 'edge',
      message: `no node "${id}"`,
    });
  edges.forEach((edge, i) => {
    const path = generated ? at : at.concat(i);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!declared.has(edge.source)) missingEnd(path, 'source', edge.source);
    if (!declared.has(edge.target)) missingEnd(path, 'target', edge.target);
    // A node that exists but failed to resolve has its own problem already.
    if (target && !source && declared.has(edge.source)) {
      unresolvedInputs.add(`${edge.target}.${edge.targetPort}`);
    }
    if (!source || !target) return;
    const out = source.outputs.find((p) => p.name === edge.sourcePort);
    const inp = target.inputs.find((p) => p.name === edge.targetPort);
    if (!out) {
      const names = source.outputs.map((p) => `"${p.name}"`).join(', ') || 'none';
      problems.push({
        ...scope,
        path: formatPath(path),
        nodeId: source.id,
        code: 'edge',
        message: `no output port "${edge.sourcePort}" on node "${source.id}" (${source.kind.kind}); its outputs: ${names}`,
      });
      return;
    }
    if (!inp) {
      const names = target.inputs.map((p) => `"${p.name}"`).join(', ') || 'none';
      problems.push({
        ...scope,
        path: formatPath(path),
        nodeId: target.id,
        code: 'edge',
        message: `no input port "${edge.targetPort}" on node "${target.id}" (${target.kind.kind}); its inputs: ${names}`,
      });
      return;
    }
    const verdict = canConnect(out.type, inp.type);
    if (!verdict.ok) {
      problems.push({
        ...scope,
        path: formatPath(path),
        nodeId: target.id,
        port: inp.name,
        code: 'connection',
        message: `cannot connect "${source.id}.${out.name}" to "${target.id}.${inp.name}": ${verdict.reason}`,
      });
      return;
    }
    const portKey = `${edge.target}.${edge.targetPort}`;
    const first = taken.get(portKey);
    if (first !== undefined && !inp.multiple) {
      problems.push({
        ...scope,
        path: formatPath(path),
        nodeId: target.id,
        port: inp.name,
        code: 'connection',
        message: `input "${inp.name}" of node "${target.id}" already has an edge (${formatPath([...at, first])})`,
      });
      return;
    }
    taken.set(portKey, i);
    sound.push({
      source: edge.source,
      sourcePort: edge.sourcePort,
      target: edge.target,
      targetPort: edge.targetPort,
      path,
    });
  });
  return { edges: sound, unresolvedInputs };
}
