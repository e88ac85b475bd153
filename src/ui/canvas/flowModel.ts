/**
 * From the document and its check to what React Flow draws: one node per document node with its
 * typed ports, one edge per document edge labelled with the shape it carries, and every problem
 * pinned where it belongs (the node, the input port, the edge). Plain data, no callbacks.
 */
import type { Edge, Node } from '@xyflow/react';
import type { CheckResult } from '../../graph/check';
import type {
  EdgeDocument,
  GraphDocument,
  NetworkDocument,
  NodeDocument,
} from '../../graph/document';
import { containerOf, findNetwork, nodePorts, type XY } from '../../graph/edits';
import type { Variables } from '../../graph/expression';
import type { NodeShapes } from '../../graph/inference';
import { appliedNetwork } from '../../graph/networkReferences';
import { formatPath, type Problem } from '../../graph/problems';
import { edgeKey, type ResolvedNode } from '../../graph/resolve';
import { findNodeKind } from '../../nodes';
import type { Category, PortSpec, PortType, Shape } from '../../nodes/kind';
import { estimateSize, layoutNodes } from './layout';
import { formatShapeIn, type ShapeOrder } from './shapeOrder';

export interface PortView {
  name: string;
  type: PortType;
  shape?: string;
  problem?: string;
  description?: string;
}

export interface NodeView extends Record<string, unknown> {
  kind: string;
  category: Category | 'unknown';
  title: string;
  /** The network a Generator or Discriminator applies: every application shows the same. */
  network?: { id: string; label: string; color: string };
  inputs: PortView[];
  outputs: PortView[];
  problems: string[];
  /** The params as written, in one line. */
  summary: string;
  /** Layers stack top to bottom inside a network. */
  vertical: boolean;
}

/**
 * Where an edge's shape label stands: beside the port it enters, so that labels neither pile up
 * where wires fan out of a port nor cross each other; above or below the wire where a node has
 * ports on both sides of it. Wires into one port (the losses an optimizer sums) carry one shape:
 * the first shows it, the others are `shared` and drawn only while selected.
 */
export type LabelPlace =
  { at: 'target'; side: 'above' | 'on' | 'below'; shared: boolean } | { at: 'middle' };

export interface EdgeView extends Record<string, unknown> {
  shape?: string;
  problem?: string;
  type: PortType;
  label: LabelPlace;
}

export type GanvasNode = Node<NodeView, 'graph'>;
export type GanvasEdge = Edge<EdgeView, 'shape'>;

export interface FlowModel {
  nodes: GanvasNode[];
  edges: GanvasEdge[];
}

/** The colour a network has in the document, or one derived from its id. */
export function networkColor(doc: GraphDocument, networkId: string): string {
  return findNetwork(doc, networkId)?.color || colorFromId(networkId);
}

function colorFromId(networkId: string): string {
  let hash = 0;
  for (const c of networkId) hash = (hash * 31 + c.charCodeAt(0)) % 360;
  return `hsl(${hash} 55% 45%)`;
}

export function networkLabel(doc: GraphDocument, networkId: string): string {
  return findNetwork(doc, networkId)?.label ?? networkId;
}

/** A value in one line: a list's items joined, anything nested inside it cut short. */
function summarizeValue(v: unknown): string {
  if (!Array.isArray(v)) return String(v);
  // Joining nested lists recurses: one nested thousands deep would exhaust the stack.
  return v.map((x: unknown) => (typeof x === 'object' && x !== null ? '…' : String(x))).join('+');
}

function summarize(params: Readonly<Record<string, unknown>> | undefined): string {
  return Object.entries(params ?? {})
    .map(([k, v]) => `${k} ${summarizeValue(v)}`)
    .join(' · ');
}

function shapeText(shape: Shape | undefined, order: ShapeOrder): string | undefined {
  return shape && formatShapeIn(shape, order);
}

interface Scope {
  /** Problems about this container's nodes, by node id. */
  problemsAt: ReadonlyMap<string, readonly Problem[]>;
  /** Problems about this container's edges, by edge index. */
  edgeProblems: ReadonlyMap<number, Problem>;
  /** The networks of the document, by id. */
  networks: ReadonlyMap<string, NetworkDocument>;
}

const NO_PROBLEMS: readonly Problem[] = [];

/**
 * A container's problems sorted once by where they show, so that drawing thousands of nodes does
 * not search every problem for each. `edgesPath` is the document path of the container's edges
 * (`edges`, `networks[1].body.edges`); without it no problem shows on an edge.
 */
function scopeOf(doc: GraphDocument, problems: readonly Problem[], edgesPath?: string): Scope {
  const problemsAt = new Map<string, Problem[]>();
  const edgeProblems = new Map<number, Problem>();
  for (const p of problems) {
    if (p.nodeId !== undefined) {
      const list = problemsAt.get(p.nodeId);
      if (list) list.push(p);
      else problemsAt.set(p.nodeId, [p]);
    }
    const index = edgesPath === undefined ? undefined : edgeIndex(p.path, edgesPath);
    if (index !== undefined && !edgeProblems.has(index)) edgeProblems.set(index, p);
  }
  return { problemsAt, edgeProblems, networks: new Map(doc.networks.map((n) => [n.id, n])) };
}

/** The edge a problem's path names (`edges[3]`, `edges[3].source`), if any. */
function edgeIndex(path: string, edgesPath: string): number | undefined {
  const start = edgesPath.length + 1;
  if (!path.startsWith(`${edgesPath}[`)) return undefined;
  const end = path.indexOf(']', start);
  const digits = path.slice(start, end);
  if (end < 0 || !/^\d+$/.test(digits)) return undefined;
  return end + 1 === path.length || path[end + 1] === '.' ? Number(digits) : undefined;
}

function portViews(
  specs: readonly PortSpec[],
  shapes: Record<string, Shape> | undefined,
  problems: readonly Problem[],
  order: ShapeOrder,
): PortView[] {
  return specs.map((p) => {
    const problem = problems.find((x) => x.port === p.name);
    return {
      name: p.name,
      type: p.type,
      ...(shapes?.[p.name] ? { shape: shapeText(shapes[p.name], order) } : {}),
      ...(problem ? { problem: problem.message } : {}),
      ...(p.description ? { description: p.description } : {}),
    };
  });
}

function nodeView(
  doc: GraphDocument,
  node: NodeDocument,
  resolved: ResolvedNode | undefined,
  shapes: NodeShapes | undefined,
  scope: Scope,
  variables: Variables,
  vertical: boolean,
  order: ShapeOrder,
): NodeView {
  const kind = findNodeKind(node.kind);
  const ports = resolved ?? nodePorts(node, variables);
  const mine = scope.problemsAt.get(node.id) ?? NO_PROBLEMS;
  const portProblems = mine.filter((p) => p.port !== undefined);
  const view: NodeView = {
    kind: node.kind,
    category: kind?.category ?? 'unknown',
    title: node.label ?? node.id,
    inputs: portViews(ports.inputs, shapes?.inputs, portProblems, order),
    outputs: portViews(ports.outputs, shapes?.outputs, [], order),
    problems: mine.filter((p) => p.port === undefined).map((p) => p.message),
    summary: kind?.behavior === 'network' ? '' : summarize(node.params),
    vertical,
  };
  // A problem at a port the node does not have (yet) still shows on the node.
  for (const p of portProblems) {
    if (!view.inputs.some((i) => i.name === p.port)) view.problems.push(p.message);
  }
  const applied = appliedNetwork(node);
  if (applied) {
    const network = scope.networks.get(applied);
    view.network = {
      id: applied,
      label: network?.label ?? applied,
      color: network?.color || colorFromId(applied),
    };
  }
  return view;
}

/** Where each edge's label stands (see LabelPlace); in a network's column, mid-wire. */
function labelPlaces(
  edges: readonly EdgeDocument[],
  nodes: readonly GanvasNode[],
  vertical: boolean,
): LabelPlace[] {
  if (vertical) return edges.map(() => ({ at: 'middle' }));
  const inputs = new Map(nodes.map((n) => [n.id, n.data.inputs.map((p) => p.name)]));
  const labelled = new Set<string>();
  return edges.map((e) => {
    const port = `${e.target}.${e.targetPort}`;
    const shared = labelled.has(port);
    labelled.add(port);
    const ports = inputs.get(e.target) ?? [];
    const index = ports.indexOf(e.targetPort);
    const middle = (ports.length - 1) / 2;
    const side = index < 0 || index === middle ? 'on' : index < middle ? 'above' : 'below';
    return { at: 'target', side, shared };
  });
}

function edgeViews(
  edges: readonly EdgeDocument[],
  shapes: ReadonlyMap<string, Shape> | undefined,
  nodes: readonly GanvasNode[],
  scope: Scope,
  order: ShapeOrder,
): GanvasEdge[] {
  const seen = new Map<string, number>();
  const types = outputTypes(nodes);
  const places = labelPlaces(edges, nodes, nodes[0]?.data.vertical ?? false);
  return edges.map((e, i) => {
    const key = edgeKey(e);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    const problem = scope.edgeProblems.get(i);
    const shape = shapeText(shapes?.get(key), order);
    return {
      id: count === 1 ? key : `${key}#${count}`,
      type: 'shape' as const,
      source: e.source,
      sourceHandle: e.sourcePort,
      target: e.target,
      targetHandle: e.targetPort,
      data: {
        type: types.get(`${e.source}.${e.sourcePort}`) ?? 'feature',
        label: places[i]!,
        ...(shape ? { shape } : {}),
        ...(problem ? { problem: problem.message } : {}),
      },
    };
  });
}

function outputTypes(nodes: readonly GanvasNode[]): Map<string, PortType> {
  const types = new Map<string, PortType>();
  for (const n of nodes) for (const p of n.data.outputs) types.set(`${n.id}.${p.name}`, p.type);
  return types;
}

/** The training graph. */
export function trainingGraphFlow(
  doc: GraphDocument,
  check: CheckResult,
  variables: Variables,
  order: ShapeOrder = 'NHWC',
): FlowModel {
  const resolved = new Map(check.graph?.nodes.map((n) => [n.id, n]));
  const scope = scopeOf(
    doc,
    check.problems.filter((p) => p.networkId === undefined),
    'edges',
  );
  const nodes: GanvasNode[] = doc.nodes.map((node) => ({
    id: node.id,
    type: 'graph',
    position: node.position ?? { x: 0, y: 0 },
    data: nodeView(
      doc,
      node,
      resolved.get(node.id),
      check.inference?.nodes.get(node.id),
      scope,
      variables,
      false,
      order,
    ),
  }));
  return {
    nodes,
    edges: edgeViews(doc.edges, check.inference?.edges, nodes, scope, order),
  };
}

/** Layer positions for a network built from a preset (its layers have none of their own). */
export function presetLayout(
  body: { nodes: readonly NodeDocument[]; edges: readonly EdgeDocument[] },
  variables: Variables,
): Record<string, XY> {
  return layoutNodes(body.nodes, body.edges, 'TB', (n) => {
    const ports = nodePorts(n, variables);
    return estimateSize(ports.inputs.length, ports.outputs.length, true);
  });
}

/**
 * The layers of one network, with the shapes of one of its applications (the first, unless
 * `applicationId` names another).
 */
export function networkBodyFlow(
  doc: GraphDocument,
  check: CheckResult,
  variables: Variables,
  networkId: string,
  applicationId: string | undefined,
  order: ShapeOrder = 'NHWC',
): FlowModel {
  const index = doc.networks.findIndex((n) => n.id === networkId);
  const network = doc.networks[index];
  if (!network) return { nodes: [], edges: [] };
  const body = containerOf(doc, networkId);
  const positions: Record<string, XY> = network.preset ? presetLayout(body, variables) : {};
  const resolved = new Map(
    check.graph?.networks.find((n) => n.id === networkId)?.body.nodes.map((n) => [n.id, n]),
  );
  const applications = check.inference?.networks.get(networkId)?.applications;
  const shapes =
    (applicationId ? applications?.get(applicationId) : undefined) ??
    applications?.values().next().value;
  const scope = scopeOf(
    doc,
    check.problems.filter((p) => p.networkId === networkId),
    network.body ? formatPath(['networks', index, 'body', 'edges']) : undefined,
  );
  const nodes: GanvasNode[] = body.nodes.map((node) => ({
    id: node.id,
    type: 'graph',
    position: positions[node.id] ?? node.position ?? { x: 0, y: 0 },
    data: nodeView(
      doc,
      node,
      resolved.get(node.id),
      shapes?.nodes.get(node.id),
      scope,
      variables,
      true,
      order,
    ),
  }));
  return {
    nodes,
    edges: edgeViews(body.edges, shapes?.edges, nodes, scope, order),
  };
}
