import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  type OnConnectEnd,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { checkConnection } from '../../graph/edits';
import { useCheck, variablesFor } from '../derived';
import { useActions, useEditor, useEditorStore } from '../editorContext';
import { PALETTE_MIME } from '../Palette';
import { addNodeOfKind } from '../nodeFactory';
import { openDocumentFile } from '../openDocument';
import { droppedDataset, isDatasetDrop } from '../training/droppedFiles';
import { useTraining, useTrainingActions } from '../training/trainingContext';
import { GraphNode } from './GraphNode';
import { ShapeEdge } from './ShapeEdge';
import { networkBodyFlow, trainingGraphFlow, type GanvasEdge, type GanvasNode } from './flowModel';
import { CORNER, useCanvasFit } from './useCanvasFit';
import { ZoomDetailStyle } from './ZoomDetailStyle';

const nodeTypes = { graph: GraphNode };
const edgeTypes = { shape: ShapeEdge };
/** The zoom buttons sit above the minimap: one corner block that fits keep clear of nodes. */
const MINIMAP_STYLE = { width: CORNER.width, height: CORNER.height - 44 };

type Size = { width: number; height: number };

function asEdge(c: Connection | Edge) {
  return {
    source: c.source,
    sourcePort: c.sourceHandle ?? '',
    target: c.target,
    targetPort: c.targetHandle ?? '',
  };
}

/** The connection a finished drag meant, whichever end it started from. */
function attempted(state: FinalConnectionState) {
  const { fromHandle, toHandle } = state;
  if (!fromHandle || !toHandle) return undefined;
  const [source, target] =
    fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle];
  return {
    source: source.nodeId,
    sourcePort: source.id ?? '',
    target: target.nodeId,
    targetPort: target.id ?? '',
  };
}

function minimapColor(node: GanvasNode): string {
  if (node.data.network) return node.data.network.color;
  if (node.data.problems.length > 0) return '#dc2626';
  return '#94a3b8';
}

export function Canvas() {
  const store = useEditorStore();
  const actions = useActions();
  const training = useTrainingActions();
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const networkId = useEditor((s) => s.networkId);
  const application = useEditor((s) => (s.networkId ? s.applications[s.networkId] : undefined));
  const selection = useEditor((s) => s.selection);
  const dragging = useEditor((s) => s.dragging);
  const focus = useEditor((s) => s.focus);
  const shapeOrder = useTraining((s) => s.settings.shapeOrder);
  const flow = useReactFlow<GanvasNode, GanvasEdge>();
  const check = useCheck(doc, limits);
  const variables = variablesFor(doc);
  const viewKey = networkId ?? '';
  const isPreset =
    networkId !== undefined && doc.networks.some((n) => n.id === networkId && n.preset);

  const model = useMemo(
    () =>
      networkId === undefined
        ? trainingGraphFlow(doc, check, variables, shapeOrder)
        : networkBodyFlow(doc, check, variables, networkId, application, shapeOrder),
    [doc, check, variables, networkId, application, shapeOrder],
  );

  // React Flow needs the sizes it measured back on every node it is given.
  const [measured, setMeasured] = useState<Record<string, Size>>({});
  const nodes = useMemo(() => {
    const selected = new Set(selection.nodes);
    return model.nodes.map((n) => {
      const size = measured[`${viewKey}|${n.id}`];
      return {
        ...n,
        selected: selected.has(n.id),
        position: dragging?.[n.id] ?? n.position,
        ...(size ? { measured: size } : {}),
      };
    });
  }, [model, selection, dragging, measured, viewKey]);
  const edges = useMemo(() => {
    const selected = new Set(selection.edges);
    return model.edges.map((e) => ({ ...e, selected: selected.has(e.id.replace(/#\d+$/, '')) }));
  }, [model, selection]);

  const onNodesChange = useCallback(
    (changes: NodeChange<GanvasNode>[]) => {
      const sizes: Record<string, Size> = {};
      const moved: Record<string, { x: number; y: number }> = {};
      let selectionChanged = false;
      const { selection: current, dragging: drag } = store.getState();
      const picked = new Set(current.nodes);
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) {
          sizes[`${viewKey}|${c.id}`] = c.dimensions;
        } else if (c.type === 'select') {
          selectionChanged = true;
          if (c.selected) picked.add(c.id);
          else picked.delete(c.id);
        } else if (c.type === 'position' && c.position && c.dragging) {
          moved[c.id] = c.position;
        }
      }
      if (Object.keys(sizes).length > 0) setMeasured((m) => ({ ...m, ...sizes }));
      if (selectionChanged) actions.select({ nodes: [...picked], edges: current.edges });
      if (Object.keys(moved).length > 0) actions.setDragging({ ...drag, ...moved });
    },
    [store, actions, viewKey],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<GanvasEdge>[]) => {
      const current = store.getState().selection;
      const picked = new Set(current.edges);
      let changed = false;
      for (const c of changes) {
        if (c.type !== 'select') continue;
        changed = true;
        const key = c.id.replace(/#\d+$/, '');
        if (c.selected) picked.add(key);
        else picked.delete(key);
      }
      if (changed) actions.select({ nodes: store.getState().selection.nodes, edges: [...picked] });
    },
    [store, actions],
  );

  const onNodeDragStop = useCallback(() => {
    const drag = store.getState().dragging;
    if (drag) actions.commitDrag(drag);
  }, [store, actions]);

  const isValidConnection: IsValidConnection<GanvasEdge> = useCallback(
    (c) => checkConnection(store.getState().document, asEdge(c), networkId).ok,
    [store, networkId],
  );

  const onConnect = useCallback((c: Connection) => actions.connect(asEdge(c)), [actions]);

  const onConnectEnd: OnConnectEnd = useCallback(
    (_event, state) => {
      if (state.isValid) return;
      const edge = attempted(state);
      if (!edge) return;
      const verdict = checkConnection(store.getState().document, edge, networkId);
      if (!verdict.ok) actions.notify(`Not connected: ${verdict.reason}`, 'error');
    },
    [store, actions, networkId],
  );

  const onNodeDoubleClick = useCallback(
    (_event: unknown, node: GanvasNode) => {
      if (node.data.network) actions.openNetwork(node.data.network.id, node.id);
    },
    [actions],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    const types = event.dataTransfer.types;
    if (types.includes('Files') || types.includes(PALETTE_MIME)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      // A folder or a zip is a dataset to train on, not a graph.
      if (isDatasetDrop(event.dataTransfer)) {
        event.preventDefault();
        void droppedDataset(event.dataTransfer).then((d) => training.addDataset(d.name, d.files));
        return;
      }
      const kind = event.dataTransfer.getData(PALETTE_MIME);
      const file = event.dataTransfer.files[0];
      if (!kind && !file) return;
      event.preventDefault();
      if (kind) {
        const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
        actions.apply((doc, id) => addNodeOfKind(doc, kind, at, id));
      } else if (file) {
        void openDocumentFile(file, actions);
      }
    },
    [actions, flow, training],
  );

  const canvas = useRef<HTMLDivElement>(null);
  const { onMoveStart } = useCanvasFit(canvas, viewKey, focus);

  return (
    <div
      ref={canvas}
      className="canvas"
      id="canvas"
      data-testid="canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReactFlow<GanvasNode, GanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        onNodeDoubleClick={onNodeDoubleClick}
        nodesDraggable={!isPreset}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        minZoom={0.1}
        maxZoom={2.5}
        zoomOnDoubleClick={false}
        onMoveStart={onMoveStart}
      >
        <ZoomDetailStyle />
        <Background gap={24} size={1} color="#d5dbe3" />
        <MiniMap<GanvasNode>
          pannable
          zoomable
          nodeColor={minimapColor}
          ariaLabel="Minimap"
          style={MINIMAP_STYLE}
        />
        <Controls
          showInteractive={false}
          position="bottom-right"
          orientation="horizontal"
          className="zoom-buttons"
        />
      </ReactFlow>
    </div>
  );
}
