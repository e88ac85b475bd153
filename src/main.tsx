import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { AUTOSAVE_KEY, loadInitialDocument, startAutosave } from './ui/persistence';
import { createEditorStore } from './ui/store';
import { defaultTemplate } from './ui/templates';

async function start() {
  const initial = await loadInitialDocument({
    hash: location.hash,
    storage: localStorage,
    template: defaultTemplate().document,
  });
  // A link opens once: from then on the autosave holds the graph and its edits.
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  const store = createEditorStore(initial.document);
  if (initial.report) store.getState().actions.showReport(initial.report);
  if (initial.source === 'link') store.getState().actions.notify('Opened the shared graph');
  startAutosave(store, localStorage);
  const reset = () => {
    localStorage.removeItem(AUTOSAVE_KEY);
    location.reload();
  };
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App store={store} onReset={reset} />
    </StrictMode>,
  );
}

void start();
