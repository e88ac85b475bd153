/**
 * Problems are data: where (a JSON path into the document, and the node and port when there is
 * one) and what. The CLI prints them, the editor pins them to nodes and ports.
 */
/**
 * What kind of problem it is, for code to act on (the page refuses a checkpoint differently from
 * a graph error): never read the message or the path to find out.
 */
export type ProblemCode =
  /** Text that is not JSON. */
  | 'not-json'
  /** JSON that is not a Ganvas graph at all (not an object). */
  | 'not-a-graph'
  /** A schema version this Ganvas cannot read, or a migration that failed. */
  | 'version'
  /** A field of the wrong type, or one the format does not have (documents, clipboards). */
  | 'schema'
  | 'duplicate-id'
  /** A node kind or preset this Ganvas does not know. */
  | 'unknown-kind'
  /** A layer in the training graph, or a training-graph node inside a network. */
  | 'misplaced-node'
  /** A param that does not fit its kind's (or preset's) schema, or that it does not have. */
  | 'param'
  /** An "=expression" that cannot be evaluated. */
  | 'expression'
  /** A variable set from outside (--set, a link) that the graph lacks or that does not fit. */
  | 'variable'
  /** Wiring: an edge to a node or port that is not there. */
  | 'edge'
  /** Wiring: ports of types that do not fit, a single input wired twice. */
  | 'connection'
  | 'missing-input'
  | 'cycle'
  /** Shapes that do not fit: a kind's shape rule refuses its inputs. */
  | 'shape'
  /**
   * Shapes that do not fit, said at their cause: the layer of a network where an application's
   * output stopped matching what the graph expects of it (its input's size or channels).
   */
  | 'shape-cause'
  /**
   * A graph variable at a value a network cannot take: a size its downsamplings do not divide, or
   * one too small for its layers. Said at the variable.
   */
  | 'variable-constraint'
  /** A param naming no network, or one of the wrong role; a network never applied, or unsound. */
  | 'network'
  /** Losses and optimizers that do not hang together: nothing minimized, nothing updated. */
  | 'optimizer'
  /**
   * A graph that would not fit the device: a training step over the memory budget, or one tensor
   * larger than a buffer may be. Refused before anything is allocated, with the figure and the
   * limit.
   */
  | 'budget'
  /**
   * Past a cap that keeps a reader from exhausting the page: a document too large or nested too
   * deep, a link or PNG text that inflates too far.
   */
  | 'limit'
  /** A shared link that is damaged, or a setting of it that names nothing or does not fit. */
  | 'link'
  /** Training: a checkpoint refused (not fitting the graph, or none kept), a dataset not at hand. */
  | 'checkpoint-refused'
  | 'dataset-missing'
  /** Training: a dataset (or the MNIST digits) that could not be read or decoded. */
  | 'dataset-unreadable';

export interface Problem {
  /** A JSON path into the document: `nodes[3].params.stride`, `edges[7]`. */
  path: string;
  code: ProblemCode;
  message: string;
  severity?: 'error' | 'warning';
  /** The node the problem is about: a training-graph node, or a layer inside `networkId`. */
  nodeId?: string;
  networkId?: string;
  port?: string;
  /** The graph variable the problem is about, for problems said at a variable. */
  variable?: string;
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
