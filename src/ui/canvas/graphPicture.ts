/**
 * A training graph drawn small, from the positions the document holds: a box per node (in its
 * network's colour, or its category's) and a curve per edge. For the template gallery: plain SVG
 * data, nothing measured or rendered by React Flow.
 */
import type { GraphDocument } from '../../graph/document';
import { nodePorts, variableValues } from '../../graph/edits';
import { appliedNetwork } from '../../graph/networkReferences';
import { findNodeKind } from '../../nodes';
import { networkColor } from './flowModel';
import { estimateSize, NODE_WIDTH } from './layout';

export interface GraphPicture {
  viewBox: string;
  boxes: { id: string; x: number; y: number; width: number; height: number; color: string }[];
  curves: string[];
}

/** As styles.css colours the categories (--cat-*). */
const CATEGORY_COLORS: Record<string, string> = {
  data: '#059669',
  layers: '#475569',
  losses: '#d97706',
  training: '#4f46e5',
};
const MARGIN = 20;

export function graphPicture(doc: GraphDocument): GraphPicture {
  const variables = variableValues(doc);
  const boxes = doc.nodes.map((node) => {
    const ports = nodePorts(node, variables);
    const { height } = estimateSize(ports.inputs.length, ports.outputs.length, false);
    const network = appliedNetwork(node);
    const category = findNodeKind(node.kind)?.category ?? 'layers';
    return {
      id: node.id,
      x: node.position?.x ?? 0,
      y: node.position?.y ?? 0,
      width: NODE_WIDTH,
      height,
      color: network
        ? networkColor(doc, network)
        : (CATEGORY_COLORS[category] ?? CATEGORY_COLORS.layers!),
    };
  });
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const curves = doc.edges.flatMap((e) => {
    const from = byId.get(e.source);
    const to = byId.get(e.target);
    if (!from || !to) return [];
    const [x1, y1] = [from.x + from.width, from.y + from.height / 2];
    const [x2, y2] = [to.x, to.y + to.height / 2];
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    return [`M${x1} ${y1} C${x1 + bend} ${y1} ${x2 - bend} ${y2} ${x2} ${y2}`];
  });
  if (boxes.length === 0) return { viewBox: '0 0 1 1', boxes, curves };
  const left = Math.min(...boxes.map((b) => b.x)) - MARGIN;
  const top = Math.min(...boxes.map((b) => b.y)) - MARGIN;
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + MARGIN;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + MARGIN;
  return { viewBox: `${left} ${top} ${right - left} ${bottom - top}`, boxes, curves };
}
