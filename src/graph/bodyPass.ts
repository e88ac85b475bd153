/**
 * A network's body walked for one input shape, on its own: what the cause-finding checks ask
 * ("what would this network make of 32×32 if model.4 had stride 2?") without going through the
 * whole graph's inference. Each layer's own shape rule answers; nothing here knows a kind.
 */
import { ShapeError, type Shape, type ShapeContext } from '../nodes/kind';
import { edgesAtNodes, edgesInto, orderAlong } from './order';
import type { ResolvedBody, ResolvedNode } from './resolve';

export interface LayerShapes {
  node: ResolvedNode;
  /** Its first input's shape (the one a layer of a chain has). */
  input: Shape;
  output: Shape;
}

export interface BodyPass {
  /** What reaches the body's Output; undefined when a layer refused its input. */
  output?: Shape;
  /** The layers that took their inputs, in data order. */
  layers: LayerShapes[];
  /** The first layer that refused its input, and why. */
  failure?: { node: ResolvedNode; message: string };
}

/** A network cannot apply another, so no layer asks. */
const insideNetwork: ShapeContext = {
  applyNetwork() {
    throw new ShapeError('networks cannot be nested');
  },
};

/**
 * The body's shapes for `input`; `paramsOf` may give a layer other params than its own (the
 * question "what if").
 */
export function passBody(
  body: ResolvedBody,
  input: Shape,
  paramsOf: (node: ResolvedNode) => Record<string, unknown> = (node) => node.params,
): BodyPass {
  const at = edgesAtNodes(body.edges);
  const byId = new Map(body.nodes.map((n) => [n.id, n]));
  const { order } = orderAlong(
    body.nodes.map((n) => n.id),
    at,
  );
  const outputs = new Map<string, Record<string, Shape>>();
  const layers: LayerShapes[] = [];
  for (const id of order) {
    const node = byId.get(id)!;
    if (node.kind.behavior === 'input') {
      outputs.set(id, { out: input });
      continue;
    }
    const inputs: Record<string, Shape> = {};
    for (const e of edgesInto(at, id)) {
      const shape = outputs.get(e.source)?.[e.sourcePort];
      if (!shape) return { layers };
      inputs[e.targetPort] = shape;
    }
    if (node.kind.behavior === 'output') return { output: inputs.in, layers };
    try {
      const made = node.kind.inferShapes(inputs, paramsOf(node), insideNetwork);
      outputs.set(id, made);
      const first = Object.values(inputs)[0];
      if (first && made.out) layers.push({ node, input: first, output: made.out });
    } catch (e) {
      return { layers, failure: { node, message: e instanceof Error ? e.message : String(e) } };
    }
  }
  return { layers };
}

/** H×W of an N×H×W×C shape. */
export function formatSize(shape: Shape): string {
  return `${shape[1]}×${shape[2]}`;
}

/** Whether a shape is an image (N×H×W×C). */
export function isImageShape(shape: Shape | undefined): shape is Shape {
  return shape?.length === 4;
}

/** A layer's stride, when it has one. */
export function strideOf(params: Record<string, unknown>): number | undefined {
  return typeof params.stride === 'number' ? params.stride : undefined;
}
