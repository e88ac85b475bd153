/**
 * Problems are data: where (a JSON path into the document, and the node and port when there is
 * one) and what. The CLI prints them, the editor pins them to nodes and ports.
 */
export interface Problem {
  /** A JSON path into the document: `nodes[3].params.stride`, `edges[7]`. */
  path: string;
  message: string;
  severity?: 'error' | 'warning';
  /** The node the problem is about: a training-graph node, or a layer inside `networkId`. */
  nodeId?: string;
  networkId?: string;
  port?: string;
}

export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '$';
}

export function formatProblem(p: Problem): string {
  return `${p.path}: ${p.message}`;
}

export function isError(p: Problem): boolean {
  return p.severity !== 'warning';
}
