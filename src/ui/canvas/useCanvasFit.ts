import { useNodesInitialized, useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { paddingAround, type Size } from './fitView';
import type { GanvasEdge, GanvasNode } from './flowModel';

/** The minimap and the zoom buttons above it, in the canvas's bottom-right corner. */
export const CORNER: Size = { width: 136, height: 124 };
const MOST_ZOOM = 1.5;

/** Fits the graph to the canvas element, around the corner block; false when nothing to fit. */
function fitCanvas(
  element: HTMLElement | null,
  flow: ReactFlowInstance<GanvasNode, GanvasEdge>,
  duration?: number,
): boolean {
  const nodes = flow.getNodes();
  if (!element || nodes.length === 0) return false;
  const { width, height } = element.getBoundingClientRect();
  if (width === 0 || height === 0) return false;
  const padding = paddingAround(flow.getNodesBounds(nodes), { width, height }, CORNER);
  void flow.fitView({ padding, maxZoom: MOST_ZOOM, ...(duration ? { duration } : {}) });
  return true;
}

/**
 * Keeps the graph fitted to the canvas: when shown, when asked (F, Fit view), and whenever the
 * canvas changes size (the training dock opened, resized or closed) while the view is still the
 * fitted one; a pan or zoom of the user's own ends that. A focus request brings one node, or
 * both ends of one edge, into view instead.
 */
export function useCanvasFit(
  canvas: RefObject<HTMLElement | null>,
  viewKey: string,
  focus: { nodeId?: string; edgeId?: string; nonce: number },
): { onMoveStart(event: MouseEvent | TouchEvent | null): void } {
  const flow = useReactFlow<GanvasNode, GanvasEdge>();
  const initialized = useNodesInitialized();
  const fitted = useRef(false);
  const pending = useRef(true);

  // Another graph or network: fit once its nodes are measured.
  const shownView = useRef<string | null>(null);
  useEffect(() => {
    if (shownView.current !== viewKey) {
      shownView.current = viewKey;
      pending.current = true;
    }
    if (!pending.current || !initialized) return;
    pending.current = false;
    fitted.current = fitCanvas(canvas.current, flow);
  }, [initialized, viewKey, canvas, flow]);

  const shownFocus = useRef(focus.nonce);
  useEffect(() => {
    if (shownFocus.current === focus.nonce) return;
    shownFocus.current = focus.nonce;
    const edge = focus.edgeId
      ? flow.getEdges().find((e) => e.id.replace(/#\d+$/, '') === focus.edgeId)
      : undefined;
    const ids = edge ? [edge.source, edge.target] : focus.nodeId ? [focus.nodeId] : [];
    if (ids.length === 0) {
      fitted.current = fitCanvas(canvas.current, flow, 250);
      return;
    }
    fitted.current = false;
    void flow.fitView({
      nodes: ids.map((id) => ({ id })),
      duration: 250,
      maxZoom: 1.2,
      padding: edge ? 0.4 : 1.5,
    });
  }, [focus, flow, canvas]);

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (fitted.current) fitCanvas(element, flow);
      });
    });
    observer.observe(element);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [canvas, flow]);

  const onMoveStart = useCallback((event: MouseEvent | TouchEvent | null) => {
    if (event) fitted.current = false;
  }, []);
  return { onMoveStart };
}
