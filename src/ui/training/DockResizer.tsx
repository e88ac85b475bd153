import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** The open dock's height when its handle was never dragged. */
export const DOCK_HEIGHT = 240;
const LEAST_HEIGHT = 120;
/** The canvas keeps at least this much of the column when the dock is dragged up. */
const LEAST_CANVAS = 180;
const KEY_STEP = 24;

/** A height the dock can take in a column of `room` pixels. */
export function dockHeightWithin(height: number, room: number): number {
  return Math.round(Math.max(LEAST_HEIGHT, Math.min(height, room - LEAST_CANVAS)));
}

/**
 * The handle on the dock's top edge: dragged (or moved with the arrow keys) it sets the open
 * dock's height, live through `onResize`, kept through `onResized` when the drag ends.
 */
export function DockResizer({
  height,
  onResize,
  onResized,
}: {
  height: number;
  onResize(height: number): void;
  onResized(height: number): void;
}) {
  const drag = useRef<{ y: number; height: number; room: number } | null>(null);
  const room = (element: HTMLElement) =>
    element.closest('.center')?.getBoundingClientRect().height ?? window.innerHeight;
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { y: event.clientY, height, room: room(event.currentTarget) };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    onResize(dockHeightWithin(start.height + start.y - event.clientY, start.room));
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    drag.current = null;
    onResized(dockHeightWithin(start.height + start.y - event.clientY, start.room));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowUp' ? KEY_STEP : event.key === 'ArrowDown' ? -KEY_STEP : 0;
    if (step === 0) return;
    event.preventDefault();
    onResized(dockHeightWithin(height + step, room(event.currentTarget)));
  };
  return (
    <div
      className="dock-resizer"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the training panel"
      aria-valuenow={height}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      data-testid="dock-resizer"
    />
  );
}
