import { ReactFlowProvider } from '@xyflow/react';
import { Component, useState, type ReactNode } from 'react';
import { Canvas } from './canvas/Canvas';
import { useAutoLayout } from './canvas/useAutoLayout';
import { ReportDialog, ShareDialog, TemplateGallery } from './dialogs';
import type { DocumentSession } from './documentSession';
import { EditorProvider, useActions, useEditor, useEditorStore } from './editorContext';
import { Inspector } from './Inspector';
import { NetworksPanel } from './NetworksPanel';
import { Palette } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { ConflictDialog, RecentDocuments } from './RecentDocuments';
import { SHORTCUTS, useShortcuts } from './shortcuts';
import { StatusLine } from './StatusLine';
import type { EditorStore } from './store';
import { Toolbar } from './Toolbar';
import { TrainingDock } from './training/TrainingDock';
import { TrainingProvider } from './training/trainingContext';
import type { TrainingStore } from './training/trainingStore';
import { VariablesPanel } from './VariablesPanel';
import { ViewBar } from './ViewBar';

function Editor({ documents }: { documents: DocumentSession }) {
  const actions = useActions();
  const store = useEditorStore();
  const autoLayout = useAutoLayout();
  const report = useEditor((s) => s.report);
  const [dialog, setDialog] = useState<'templates' | 'share' | 'recent' | null>(null);
  useShortcuts(actions, autoLayout, dialog !== null || report !== null);
  return (
    <div className="app">
      <Toolbar
        onShowTemplates={() => setDialog('templates')}
        onShowRecent={() => setDialog('recent')}
        onShare={() => setDialog('share')}
        autoLayout={autoLayout}
      />
      <div className="workspace">
        <Palette />
        <main className="center">
          <ViewBar />
          <Canvas />
          <TrainingDock />
          <StatusLine />
          <ProblemsPanel />
        </main>
        <aside className="sidebar">
          <Inspector />
          <NetworksPanel />
          <VariablesPanel />
          <section className="panel shortcuts">
            <h2>Keys</h2>
            <dl>
              {SHORTCUTS.map(([keys, what]) => (
                <div key={keys}>
                  <dt>{keys}</dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        </aside>
      </div>
      <ReportDialog />
      {dialog === 'templates' && <TemplateGallery onClose={() => setDialog(null)} />}
      {dialog === 'recent' && (
        <RecentDocuments documents={documents} onClose={() => setDialog(null)} />
      )}
      <ConflictDialog documents={documents} />
      {dialog === 'share' && (
        <ShareDialog document={store.getState().document} onClose={() => setDialog(null)} />
      )}
    </div>
  );
}

/** A crash shows what happened; the kept document still holds the last edit. */
class CrashScreen extends Component<
  { children: ReactNode; onReset(): void },
  { error: Error | null }
> {
  override state = { error: null as Error | null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert">
        <h1>The editor stopped</h1>
        <pre>{this.state.error.message}</pre>
        <p>Your last edit is saved. Reload to continue, or start again from the template.</p>
        <div className="button-row">
          <button type="button" className="primary" onClick={() => location.reload()}>
            Reload
          </button>
          <button type="button" onClick={this.props.onReset}>
            Start from the template
          </button>
        </div>
      </div>
    );
  }
}

export function App({
  store,
  training,
  documents,
  onReset,
}: {
  store: EditorStore;
  training: TrainingStore;
  documents: DocumentSession;
  onReset(): void;
}) {
  return (
    <CrashScreen onReset={onReset}>
      <EditorProvider store={store}>
        <TrainingProvider store={training}>
          <ReactFlowProvider>
            <Editor documents={documents} />
          </ReactFlowProvider>
        </TrainingProvider>
      </EditorProvider>
    </CrashScreen>
  );
}
