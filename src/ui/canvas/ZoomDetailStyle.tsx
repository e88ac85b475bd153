import { useStore } from '@xyflow/react';
import { useLayoutEffect } from 'react';
import { zoomDetail } from './zoomDetail';

/**
 * Hands the zoom's level of detail to the stylesheet, as custom properties and a `data-detail`
 * attribute on the flow: labels, titles and handles rescale in CSS, without drawing any node or
 * edge again.
 */
export function ZoomDetailStyle() {
  const zoom = useStore((s) => s.transform[2]);
  const flow = useStore((s) => s.domNode);
  const { labelScale, titleScale, handleScale, far } = zoomDetail(zoom);
  useLayoutEffect(() => {
    if (!flow) return;
    flow.style.setProperty('--label-scale', String(labelScale));
    flow.style.setProperty('--title-scale', String(titleScale));
    flow.style.setProperty('--handle-scale', String(handleScale));
    flow.setAttribute('data-detail', far ? 'far' : 'near');
  }, [flow, labelScale, titleScale, handleScale, far]);
  return null;
}
