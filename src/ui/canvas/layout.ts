/**
 * Auto-layout. The training graph is layered left to right with dagre (data flows to the losses
 * and optimizers). A network is a stack of layers, top to bottom; a long stack is cut into
 * columns, read like a newspaper, so that a ResNet's 30 layers fit on one screen.
 */
import dagre from '@dagrejs/dagre';
import type { EdgeDocument, NodeDocument } from '../../graph/document';
import type { XY } from '../../graph/edits';
import { topologicalOrder } from '../../graph/inference';

export type Direction = 'LR' | 'TB';

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
    nodesep: direction === 'LR' ? 36 : 40,
    ranksep: direction === 'LR' ? 110 : 46,
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
  const positions: Record<string, XY> = {};
  for (const b of boxes) {
    const n = graph.node(b.id);
    positions[b.id] = { x: Math.round(n.x - b.width / 2), y: Math.round(n.y - b.height / 2) };
  }
  return positions;
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
