import { useConnection } from '@xyflow/react';
import { useEffect } from 'react';
import { checkConnection } from '../graph/edits';
import { useActions, useEditor, useEditorStore } from './editorContext';

/** While a wire is dragged over a port that refuses it, why. */
function ConnectionHint() {
  const store = useEditorStore();
  const networkId = useEditor((s) => s.networkId);
  const connection = useConnection();
  if (!connection.inProgress || connection.isValid !== false || !connection.toHandle) return null;
  const { fromHandle, toHandle } = connection;
  const [source, target] =
    fromHandle.type === 'source' ? [fromHandle, toHandle] : [toHandle, fromHandle];
  const verdict = checkConnection(
    store.getState().document,
    {
      source: source.nodeId,
      sourcePort: source.id ?? '',
      target: target.nodeId,
      targetPort: target.id ?? '',
    },
    networkId,
  );
  return verdict.ok ? null : <span className="hint-error">Cannot connect: {verdict.reason}</span>;
}

export function StatusLine() {
  const notice = useEditor((s) => s.notice);
  const actions = useActions();
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(
      () => actions.dismissNotice(notice.id),
      notice.tone === 'error' ? 9000 : 4000,
    );
    return () => clearTimeout(timer);
  }, [notice, actions]);
  return (
    <div className="status-line" role="status" aria-live="polite" data-testid="status">
      <ConnectionHint />
      {notice && (
        <span className={`notice notice-${notice.tone}`} data-testid="notice">
          {notice.text}
          <button
            type="button"
            className="icon"
            aria-label="Dismiss"
            onClick={() => actions.dismissNotice(notice.id)}
          >
            ×
          </button>
        </span>
      )}
    </div>
  );
}
