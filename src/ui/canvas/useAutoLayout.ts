import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { containerOf, moveNodes, nodePorts } from '../../graph/edits';
import { variablesFor } from '../derived';
import { useActions } from '../editorContext';
import { estimateSize, layoutNodes } from './layout';

/** Arranges the shown graph in layers, from the sizes the nodes are drawn at; one undo step. */
export function useAutoLayout(): () => void {
  const actions = useActions();
  const flow = useReactFlow();
  return useCallback(() => {
    const moved = actions.apply((doc, networkId) => {
      const container = containerOf(doc, networkId);
      const variables = variablesFor(doc);
      const vertical = networkId !== undefined;
      const positions = layoutNodes(
        container.nodes,
        container.edges,
        vertical ? 'TB' : 'LR',
        (n) => {
          const size = flow.getNode(n.id)?.measured;
          if (size?.width && size.height) return { width: size.width, height: size.height };
          const ports = nodePorts(n, variables);
          return estimateSize(ports.inputs.length, ports.outputs.length, vertical);
        },
      );
      return moveNodes(doc, positions, networkId);
    });
    if (moved) actions.requestFitView();
  }, [actions, flow]);
}
