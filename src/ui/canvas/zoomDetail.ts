/**
 * What the canvas draws at a zoom, as map tools do: shape labels and node titles keep a minimum
 * size on screen however far one zooms out (they are scaled against the zoom), handles stay
 * targets one can hit, and what cannot be read at a distance (a node's kind, its params, port
 * names) makes way for the title.
 */

/** Edge labels are set at 10 px and node titles at 12 px, at zoom 1. */
const LABEL_FONT = 10;
const TITLE_FONT = 12;
/** The least size on screen, in pixels, a label or title is drawn at. */
export const LEAST_TEXT = 11.25;
/** Beyond this, a label would cover more of the graph than it explains. */
const MOST_SCALE = 4;
/** Handles are 10 px at zoom 1; the next port is 20 px away, so they grow at most twice. */
const HANDLE = { least: 8, size: 10, most: 2 };

export interface ZoomDetail {
  /** How much edge labels are scaled up. */
  labelScale: number;
  /** How much node titles (and network names) are scaled up. */
  titleScale: number;
  handleScale: number;
  /** Zoomed out so far that only titles, shapes and handles are drawn. */
  far: boolean;
}

/** Scales change in sixteenths, so that zooming does not restyle the canvas every frame. */
function stepped(scale: number): number {
  return Math.min(MOST_SCALE, Math.max(1, Math.ceil(scale * 16) / 16));
}

export function zoomDetail(zoom: number): ZoomDetail {
  const titleScale = stepped(LEAST_TEXT / (TITLE_FONT * zoom));
  return {
    labelScale: stepped(LEAST_TEXT / (LABEL_FONT * zoom)),
    titleScale,
    handleScale: Math.min(HANDLE.most, stepped(HANDLE.least / (HANDLE.size * zoom))),
    far: titleScale > 1,
  };
}
