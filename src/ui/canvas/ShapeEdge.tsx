import {
  BaseEdge,
  EdgeLabelRenderer,
  getBezierPath,
  getSmoothStepPath,
  Position,
  type EdgeProps,
} from '@xyflow/react';
import { memo } from 'react';
import type { GanvasEdge } from './flowModel';

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
  return (
    <>
      <BaseEdge id={id} path={path} className={className} interactionWidth={14} />
      <EdgeLabelRenderer>
        <div
          className={`edge-label nodrag nopan${problem ? ' edge-label-invalid' : ''}${selected ? ' edge-label-selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
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
