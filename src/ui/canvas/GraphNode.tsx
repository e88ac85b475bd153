import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useRef, type CSSProperties } from 'react';
import { PreviewThumbnail } from '../training/SampleGrid';
import type { GanvasNode, PortView } from './flowModel';

function PortRow({
  port,
  side,
  vertical,
}: {
  port: PortView;
  side: 'in' | 'out';
  vertical: boolean;
}) {
  const position = vertical
    ? side === 'in'
      ? Position.Top
      : Position.Bottom
    : side === 'in'
      ? Position.Left
      : Position.Right;
  const title = [
    `${port.name} (${port.type})`,
    port.shape,
    port.description,
    port.problem ? `⚠ ${port.problem}` : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <div className={`port port-${side}${port.problem ? ' port-invalid' : ''}`} title={title}>
      <Handle
        type={side === 'in' ? 'target' : 'source'}
        position={position}
        id={port.name}
        className={`handle handle-${port.type}${port.problem ? ' handle-invalid' : ''}`}
        data-testid={`handle-${side}-${port.name}`}
      />
      {!vertical && <span className="port-name">{port.name}</span>}
      {port.problem && (
        <span className="port-warning" aria-label={port.problem}>
          ⚠
        </span>
      )}
    </div>
  );
}

/** A node with its typed ports; a network application wears its network's name and colour. */
function GraphNodeView({ id, data }: NodeProps<GanvasNode>) {
  const updateNodeInternals = useUpdateNodeInternals();
  const portSignature = [...data.inputs, ...data.outputs].map((p) => p.name).join(',');
  // Handles move when a node's ports change (a Loss switched to another type). Not on mount:
  // React Flow measures new nodes itself, and an early call would fit the view to this one.
  const ports = useRef(portSignature);
  useEffect(() => {
    if (ports.current === portSignature) return;
    ports.current = portSignature;
    updateNodeInternals(id);
  }, [id, portSignature, updateNodeInternals]);
  const style = data.network ? ({ '--accent': data.network.color } as CSSProperties) : undefined;
  const invalid = data.problems.length > 0 || data.inputs.some((p) => p.problem);
  const rows = Math.max(data.inputs.length, data.outputs.length);
  return (
    <div
      className={`gnode gnode-${data.category}${data.vertical ? ' gnode-vertical' : ''}${invalid ? ' gnode-invalid' : ''}${data.network ? ' gnode-network' : ''}`}
      style={style}
      data-testid={`node-${id}`}
    >
      {data.vertical && (
        <div className="port-bar port-bar-in">
          {data.inputs.map((p) => (
            <PortRow key={p.name} port={p} side="in" vertical />
          ))}
        </div>
      )}
      <div className="gnode-header">
        {data.network && (
          <div className="gnode-network-name" data-testid={`node-network-${id}`}>
            <span className="swatch" />
            {data.network.label}
          </div>
        )}
        <div className="gnode-title">
          <span className="gnode-kind">{data.kind}</span>
          <span className="gnode-name" title={data.title}>
            {data.title}
          </span>
        </div>
        {data.summary && (
          <div className="gnode-summary" title={data.summary}>
            {data.summary}
          </div>
        )}
      </div>
      {!data.vertical && rows > 0 && (
        <div className="gnode-ports">
          <div className="ports-in">
            {data.inputs.map((p) => (
              <PortRow key={p.name} port={p} side="in" vertical={false} />
            ))}
          </div>
          <div className="ports-out">
            {data.outputs.map((p) => (
              <PortRow key={p.name} port={p} side="out" vertical={false} />
            ))}
          </div>
        </div>
      )}
      {data.kind === 'Preview' && <PreviewThumbnail nodeId={id} />}
      {data.vertical && (
        <div className="port-bar port-bar-out">
          {data.outputs.map((p) => (
            <PortRow key={p.name} port={p} side="out" vertical />
          ))}
        </div>
      )}
      {invalid && (
        <div className="gnode-problem" data-testid={`node-problem-${id}`}>
          {[...data.inputs.filter((p) => p.problem).map((p) => p.problem!), ...data.problems].map(
            (message, i) => (
              <div key={i} title={message}>
                ⚠ {message}
              </div>
            ),
          )}
        </div>
      )}
    </div>
  );
}

export const GraphNode = memo(GraphNodeView);
