import { useRef } from 'react';
import { useActions, useEditor, useEditorStore } from './editorContext';
import { openDocumentFile } from './openDocument';
import { downloadDocument } from './persistence';

export function Toolbar({
  onShowTemplates,
  onShowRecent,
  onShare,
  autoLayout,
}: {
  onShowTemplates(): void;
  onShowRecent(): void;
  onShare(): void;
  autoLayout(): void;
}) {
  const actions = useActions();
  const store = useEditorStore();
  const name = useEditor((s) => s.document.name);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const fileInput = useRef<HTMLInputElement>(null);

  return (
    <header className="toolbar">
      <div className="brand">
        <span className="logo">◆</span> Ganvas
      </div>
      <div className="doc-name" title="The graph's name (edit it in the inspector)">
        {name}
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          onClick={actions.undo}
          disabled={!canUndo}
          title="Undo (Ctrl+Z)"
          data-testid="undo"
        >
          ↶ Undo
        </button>
        <button
          type="button"
          onClick={actions.redo}
          disabled={!canRedo}
          title="Redo (Ctrl+Shift+Z)"
          data-testid="redo"
        >
          ↷ Redo
        </button>
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          onClick={autoLayout}
          title="Arrange the nodes in layers (L)"
          data-testid="auto-layout"
        >
          Auto-layout
        </button>
        <button
          type="button"
          onClick={actions.requestFitView}
          title="Fit the graph to the window (F)"
          data-testid="fit-view"
        >
          Fit view
        </button>
      </div>
      <div className="toolbar-group">
        <button type="button" onClick={onShowTemplates} data-testid="templates">
          Templates
        </button>
        <button
          type="button"
          onClick={onShowRecent}
          title="The graphs kept in this browser, most recently edited first"
          data-testid="recent"
        >
          Recent
        </button>
        <button
          type="button"
          onClick={() => fileInput.current?.click()}
          title="Open a graph JSON file or a sample PNG saved by Ganvas (or drop it on the canvas)"
          data-testid="open"
        >
          Open…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json,.png,image/png"
          hidden
          data-testid="open-file-input"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void openDocumentFile(file, actions);
          }}
        />
        <button
          type="button"
          onClick={() => downloadDocument(store.getState().document)}
          title="Download the graph as JSON"
          data-testid="save"
        >
          Save
        </button>
        <button
          type="button"
          className="primary"
          onClick={onShare}
          title="A link that carries this graph"
          data-testid="share"
        >
          Share link
        </button>
      </div>
    </header>
  );
}
