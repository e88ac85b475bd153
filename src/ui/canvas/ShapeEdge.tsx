import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  getSmoothStepPath,
  Position,
  type EdgeProps,
} from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import type { XY } from '../../graph/edits';
import type { GanvasEdge, LabelPlace } from './flowModel';

/** Between a label and the port it stands beside, in flow pixels. */
const PORT_GAP = 7;
const SHIFT = { above: '-100%', on: '-50%', below: '0%' } as const;
const SIDE_GAP = { above: -2, below: 2 } as const;

/**
 * A label is anchored at one point (beside its port, or mid-wire) and scaled from there by the
 * canvas's `--label-scale`, which keeps it readable when zoomed out (see zoomDetail.ts) without
 * moving it off its port: the box is placed against the anchor after scaling.
 */
function placement(place: LabelPlace, port: XY, middle: XY): CSSProperties {
  const [anchor, shift] =
    place.at === 'target'
      ? [
          { x: port.x - PORT_GAP, y: port.y + (place.side === 'on' ? 0 : SIDE_GAP[place.side]) },
          `-100%, ${SHIFT[place.side]}`,
        ]
      : [middle, '-50%, -50%'];
  return {
    transform: `translate(${anchor.x}px, ${anchor.y}px) scale(var(--label-scale, 1)) translate(${shift})`,
    transformOrigin: '0 0',
  };
}

/** An edge labelled with the tensor shape it carries; red, with the message, when it is wrong. */
function ShapeEdgeView({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  data,
  selected,
}: EdgeProps<GanvasEdge>) {
  const ends = { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition };
  // From the foot of one column of layers to the head of the next: around, not through them.
  const wraps = sourcePosition === Position.Bottom && targetY < sourceY;
  const [path, labelX, labelY] = wraps
    ? getSmoothStepPath({ ...ends, borderRadius: 10, offset: 18 })
    : getBezierPath(ends);
  const problem = data?.problem;
  const className = `shape-edge edge-${data?.type ?? 'feature'}${problem ? ' edge-invalid' : ''}${selected ? ' edge-selected' : ''}`;
  const place: LabelPlace = wraps ? { at: 'middle' } : (data?.label ?? { at: 'middle' });
  return (
    <>
      <BaseEdge id={id} path={path} className={className} interactionWidth={14} />
      <EdgeLabelRenderer>
        <div
          className={`edge-label nodrag nopan${problem ? ' edge-label-invalid' : ''}${selected ? ' edge-label-selected' : ''}${place.at === 'target' && place.shared ? ' edge-label-shared' : ''}`}
          style={placement(place, { x: targetX, y: targetY }, { x: labelX, y: labelY })}
          data-testid={`edge-label-${id}`}
          title={problem ?? data?.shape}
        >
          {problem ? (
            <>
              <span className="edge-label-shape">⚠ {data?.shape ?? ''}</span>
              <span className="edge-label-message">{problem}</span>
            </>
          ) : (
            (data?.shape ?? '?')
          )}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
