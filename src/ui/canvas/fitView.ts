/**
 * Fitting the graph to the canvas without putting a node under the minimap: the minimap and the
 * zoom buttons stand in the bottom-right corner, and a fit leaves them a strip along the right
 * edge or along the bottom, whichever lets the graph be drawn larger.
 */
import type { FitViewOptions, Rect } from '@xyflow/react';

type Padding = NonNullable<FitViewOptions['padding']>;

/** Space around the graph, in screen pixels. */
export const FIT_MARGIN = 16;

export interface Size {
  width: number;
  height: number;
}

function zoomToFit(bounds: Rect, width: number, height: number): number {
  return Math.min(width / Math.max(bounds.width, 1), height / Math.max(bounds.height, 1));
}

/** The padding of a fit that keeps the graph off the `corner` block (the minimap and buttons). */
export function paddingAround(bounds: Rect, canvas: Size, corner: Size): Padding {
  const beside = corner.width + 2 * FIT_MARGIN;
  const below = corner.height + 2 * FIT_MARGIN;
  const rightStrip = zoomToFit(
    bounds,
    canvas.width - FIT_MARGIN - beside,
    canvas.height - 2 * FIT_MARGIN,
  );
  const bottomStrip = zoomToFit(
    bounds,
    canvas.width - 2 * FIT_MARGIN,
    canvas.height - FIT_MARGIN - below,
  );
  const px = (n: number) => `${n}px` as const;
  return rightStrip >= bottomStrip
    ? { top: px(FIT_MARGIN), left: px(FIT_MARGIN), bottom: px(FIT_MARGIN), right: px(beside) }
    : { top: px(FIT_MARGIN), left: px(FIT_MARGIN), right: px(FIT_MARGIN), bottom: px(below) };
}
