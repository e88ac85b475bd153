/**
 * Auto-layout. The training graph is layered left to right with dagre (data flows to the losses
 * and optimizers). A network is a stack of layers, top to bottom; a long stack is cut into
 * columns, read like a newspaper, so that a ResNet's 30 layers fit on one screen.
 */
import dagre from '@dagrejs/dagre';
import type { EdgeDocument, GraphDocument, NodeDocument } from '../../graph/document';
import { containerOf, moveNodes, nodePorts, variableValues, type XY } from '../../graph/edits';
import { topologicalOrder } from '../../graph/inference';

export type Direction = 'LR' | 'TB';

/**
 * Between two columns of the training graph: room for a shape label (drawn beside the port it
 * enters, at least 11 px on screen) at the zoom that fits a graph like CycleGAN's.
 */
const LABEL_ROOM = 250;
/** Between two nodes of a column: room for a label above one port and one below the next. */
const LANE_GAP = 36;

export interface Box {
  id: string;
  width: number;
  height: number;
}

/** Top-left positions for boxes joined by edges. */
export function layoutBoxes(
  boxes: readonly Box[],
  edges: readonly { source: string; target: string }[],
  direction: Direction,
): Record<string, XY> {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({
    rankdir: direction,
    nodesep: direction === 'LR' ? LANE_GAP : 40,
    ranksep: direction === 'LR' ? LABEL_ROOM : 46,
    marginx: 20,
    marginy: 20,
  });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) graph.setNode(b.id, { width: b.width, height: b.height });
  edges.forEach((e, i) => {
    if (graph.hasNode(e.source) && graph.hasNode(e.target)) {
      graph.setEdge(e.source, e.target, {}, String(i));
    }
  });
  dagre.layout(graph);
  const centres = new Map(
    boxes.map((b) => [b.id, { x: graph.node(b.id).x, y: graph.node(b.id).y }]),
  );
  if (direction === 'LR') balanceColumns(boxes, edges, centres);
  const positions: Record<string, XY> = {};
  for (const b of boxes) {
    const c = centres.get(b.id)!;
    positions[b.id] = { x: Math.round(c.x - b.width / 2), y: Math.round(c.y - b.height / 2) };
  }
  return positions;
}

/**
 * Evens out the columns of a left-to-right layout, so that the graph fits a wide canvas at a
 * readable zoom: a node nothing reads from (a Preview, an Optimizer) may stand in any column
 * after what it reads, and goes to the least filled one. Each column is then stacked again,
 * centred, in the order dagre found (a moved node at the height of what it reads).
 */
function balanceColumns(
  boxes: readonly Box[],
  edges: readonly { source: string; target: string }[],
  centres: Map<string, XY>,
): void {
  const xs = [...new Set(boxes.map((b) => centres.get(b.id)!.x))].sort((a, b) => a - b);
  const column = new Map(boxes.map((b) => [b.id, xs.indexOf(centres.get(b.id)!.x)]));
  const fill = xs.map(() => 0);
  for (const b of boxes) fill[column.get(b.id)!]! += b.height + LANE_GAP;
  const readers = new Set(edges.map((e) => e.source));
  const sources = new Map<string, string[]>();
  for (const e of edges) {
    if (column.has(e.source)) sources.set(e.target, [...(sources.get(e.target) ?? []), e.source]);
  }
  const height = new Map<string, number>();
  for (const b of boxes) {
    const from = sources.get(b.id);
    if (readers.has(b.id) || !from) continue;
    const first = Math.max(...from.map((id) => column.get(id)!)) + 1;
    let best = column.get(b.id)!;
    for (let c = first; c < xs.length; c++) if (fill[c]! < fill[best]!) best = c;
    fill[column.get(b.id)!]! -= b.height + LANE_GAP;
    fill[best]! += b.height + LANE_GAP;
    column.set(b.id, best);
    const ys = from.map((id) => centres.get(id)!.y);
    height.set(b.id, ys.reduce((sum, y) => sum + y, 0) / ys.length);
  }
  xs.forEach((x, c) => {
    const stack = boxes
      .filter((b) => column.get(b.id) === c)
      .map((b) => ({ box: b, y: height.get(b.id) ?? centres.get(b.id)!.y }))
      .sort((a, b) => a.y - b.y);
    let y = -(fill[c]! - LANE_GAP) / 2;
    for (const { box } of stack) {
      centres.set(box.id, { x, y: y + box.height / 2 });
      y += box.height + LANE_GAP;
    }
  });
}

/** The size a node is drawn at, close enough for layout before it is measured. */
export function estimateSize(
  inputs: number,
  outputs: number,
  vertical: boolean,
): { width: number; height: number } {
  if (vertical) return { width: NODE_WIDTH, height: 58 };
  return { width: NODE_WIDTH, height: 44 + Math.max(inputs, outputs, 1) * 22 };
}

export const NODE_WIDTH = 190;

const COLUMN_GAP = 150;
const ROW_GAP = 44;
/** Columns about this much wider than tall fit a canvas beside the panels. */
const ASPECT = 1.4;

/** Layers in data order, in as many columns as make the whole about ASPECT wide. */
export function layoutColumns(
  boxes: readonly Box[],
  edges: readonly { source: string; target: string }[],
): Record<string, XY> {
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const { order, cycles } = topologicalOrder(
    boxes.map((b) => b.id),
    edges,
  );
  const ids = [...order, ...cycles.flat()];
  const rowHeight =
    boxes.reduce((sum, b) => sum + b.height, 0) / Math.max(boxes.length, 1) + ROW_GAP;
  const columnWidth = NODE_WIDTH + COLUMN_GAP;
  const columns = Math.max(
    1,
    Math.round(Math.sqrt((ASPECT * ids.length * rowHeight) / columnWidth)),
  );
  const perColumn = Math.ceil(ids.length / columns);
  const positions: Record<string, XY> = {};
  let y = 0;
  ids.forEach((id, i) => {
    if (i % perColumn === 0) y = 0;
    positions[id] = { x: Math.floor(i / perColumn) * columnWidth, y };
    y += byId.get(id)!.height + ROW_GAP;
  });
  return positions;
}

/** Positions for a container's nodes, from their measured sizes where known. */
export function layoutNodes(
  nodes: readonly NodeDocument[],
  edges: readonly EdgeDocument[],
  direction: Direction,
  size: (node: NodeDocument) => { width: number; height: number },
): Record<string, XY> {
  const boxes = nodes.map((n) => ({ id: n.id, ...size(n) }));
  return direction === 'TB' ? layoutColumns(boxes, edges) : layoutBoxes(boxes, edges, direction);
}

/**
 * The document with one container (the training graph, or a network's layers) arranged: sizes
 * as drawn where `drawnSize` knows them, estimated from the ports otherwise.
 */
export function arrangeContainer(
  doc: GraphDocument,
  networkId: string | undefined,
  drawnSize: (nodeId: string) => { width: number; height: number } | undefined = () => undefined,
): GraphDocument {
  const container = containerOf(doc, networkId);
  const variables = variableValues(doc);
  const vertical = networkId !== undefined;
  const positions = layoutNodes(container.nodes, container.edges, vertical ? 'TB' : 'LR', (n) => {
    const drawn = drawnSize(n.id);
    if (drawn) return drawn;
    const ports = nodePorts(n, variables);
    return estimateSize(ports.inputs.length, ports.outputs.length, vertical);
  });
  return moveNodes(doc, positions, networkId);
}
