/**
 * How shapes are written on screen. The graph holds images as N×H×W×C (TensorFlow's order, the
 * one tfjs computes in); people coming from PyTorch read N×C×H×W. Only the display changes.
 */
import type { Shape } from '../../nodes/kind';
import { formatShape } from '../../nodes/shapeRules';

export type ShapeOrder = 'NHWC' | 'NCHW';

export const SHAPE_ORDERS: readonly { order: ShapeOrder; label: string; title: string }[] = [
  {
    order: 'NHWC',
    label: 'N×H×W×C (TensorFlow)',
    title: 'batch × height × width × channels (TensorFlow)',
  },
  {
    order: 'NCHW',
    label: 'N×C×H×W (PyTorch)',
    title: 'batch × channels × height × width (PyTorch)',
  },
];

/** A shape as the chosen order writes it; only images (rank 4) have an order to change. */
export function formatShapeIn(shape: Shape, order: ShapeOrder): string {
  if (shape.length === 0) return 'scalar';
  if (order === 'NCHW' && shape.length === 4) {
    const [n, h, w, c] = shape;
    return formatShape([n!, c!, h!, w!]);
  }
  return formatShape(shape);
}
