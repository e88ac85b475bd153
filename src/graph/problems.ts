/**
 * Problems are data: where (a JSON path into the document, and the node and port when there is
 * one) and what. The CLI prints them, the editor pins them to nodes and ports.
 */
/**
 * What kind of problem it is, for code to act on (the page refuses a checkpoint differently from
 * a graph error): never read the message to find out.
 */
export type ProblemCode =
  /** Reading a document: not JSON, not a Ganvas graph, a version this Ganvas cannot read. */
  | 'not-json'
  | 'not-a-graph'
  | 'version'
  /** The document's structure: a field of the wrong type, an id used twice. */
  | 'schema'
  | 'duplicate-id'
  /** Nodes and their params: an unknown kind, a param or expression that does not fit. */
  | 'unknown-kind'
  | 'param'
  | 'expression'
  /** Wiring: an edge to nothing, a port of the wrong type, an input left open, a cycle. */
  | 'edge'
  | 'connection'
  | 'missing-input'
  | 'cycle'
  /** Shapes that do not fit, networks and optimizers that do not hang together. */
  | 'shape'
  | 'network'
  | 'optimizer'
  /** Training: a checkpoint that does not fit the graph, a dataset not at hand. */
  | 'checkpoint-refused'
  | 'dataset-missing'
  | 'dataset-unreadable';

export interface Problem {
  /** A JSON path into the document: `nodes[3].params.stride`, `edges[7]`. */
  path: string;
  /** Optional until every place that finds problems names its code (the training-half redesign). */
  code?: ProblemCode;
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
