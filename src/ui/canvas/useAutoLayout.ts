import { useReactFlow } from '@xyflow/react';
import { useCallback } from 'react';
import { useActions } from '../editorContext';
import { arrangeContainer } from './layout';

/** Arranges the shown graph in layers, from the sizes the nodes are drawn at; one undo step. */
export function useAutoLayout(): () => void {
  const actions = useActions();
  const flow = useReactFlow();
  return useCallback(() => {
    const moved = actions.apply((doc, networkId) =>
      arrangeContainer(doc, networkId, (id) => {
        const size = flow.getNode(id)?.measured;
        return size?.width && size.height ? { width: size.width, height: size.height } : undefined;
      }),
    );
    if (moved) actions.requestFitView();
  }, [actions, flow]);
}
