import './withoutEval';
import '@xyflow/react/dist/style.css';
import './ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { applyLinkVariables, findTemplateFile, linkTrainingSettings, readLink } from './ui/links';
import { startDocumentSession } from './ui/documentSession';
import { commitOpenDrafts } from './ui/forms/drafts';
import { loadInitialDocument } from './ui/persistence';
import { QUICK_STARTS, withQuickStart } from './ui/quickStart';
import { TAB_DOCUMENT_KEY } from './ui/savedDocuments';
import { createEditorStore } from './ui/store';
import { defaultTemplate, TEMPLATES } from './ui/templates';
import { installTestHook } from './ui/training/testHook';
import { loadSettings, saveSettings } from './ui/training/settings';
import { createTrainingStore } from './ui/training/trainingStore';
import type { Problem } from './graph/problems';

async function start() {
  const link = readLink(location.search);
  const problems: Problem[] = [];
  const files = TEMPLATES.map((t) => t.file);
  let templateFile = defaultTemplate().file;
  let linkedTemplate = false;
  if (link.template !== undefined) {
    const file = findTemplateFile(link.template, files);
    if (file) {
      templateFile = file;
      linkedTemplate = true;
    } else {
      problems.push({
        path: '?template',
        code: 'link',
        message: `no template "${link.template}"; there are ${files.map((f) => f.replace(/\.json$/, '')).join(', ')}`,
      });
    }
  }
  const template = TEMPLATES.find((t) => t.file === templateFile)!.document;
  const initial = await loadInitialDocument({
    hash: location.hash,
    local: localStorage,
    tab: sessionStorage,
    template,
    templateLinked: linkedTemplate,
  });
  const linked = applyLinkVariables(initial.document, link.variables);
  problems.push(...linked.problems);
  const training = linkTrainingSettings(link.training);
  problems.push(...training.problems);

  const settings = { ...loadSettings(localStorage), ...training.settings };
  const linkSetsVariables = Object.keys(link.variables).length > 0;
  // Overrides were for the graph kept before: a link's values, or another graph, train as shown.
  if (linkSetsVariables || initial.source !== 'autosave') settings.overrides = {};
  // A template opens at its quick start, unless the link says which values it wants.
  const quickStart =
    initial.source === 'template' && !linkSetsVariables ? QUICK_STARTS[templateFile] : undefined;
  const opened = quickStart ? withQuickStart(linked.document, quickStart) : linked.document;
  saveSettings(localStorage, settings);

  // A link opens once: from then on the tab's document holds the graph and its edits.
  if (location.hash || location.search) {
    history.replaceState(null, '', location.href.replace(/[?#].*$/, ''));
  }
  const store = createEditorStore(opened);
  if (initial.report) {
    store.getState().actions.showReport({
      ...initial.report,
      problems: [...initial.report.problems, ...problems],
    });
  } else if (problems.length > 0) {
    store.getState().actions.showReport({
      title: 'Some settings of the link were not applied',
      problems,
    });
  }
  if (initial.source === 'link') store.getState().actions.notify('Opened the shared graph');
  const documents = startDocumentSession(store, {
    local: localStorage,
    tab: sessionStorage,
    // A kept document the link's variables changed is saved at once, as a new one would be.
    ...(initial.version && opened === initial.document ? { loaded: initial.version } : {}),
  });
  window.addEventListener('storage', (e) => {
    if (e.storageArea === localStorage) documents.storedChanged();
  });
  // What is typed but not committed is committed, and saved, before the page goes.
  const flush = (leaving: boolean) => {
    commitOpenDrafts();
    documents.flush(leaving);
  };
  window.addEventListener('pagehide', () => flush(true));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush(false);
  });
  const trainingStore = createTrainingStore(store, settings, localStorage);
  installTestHook(trainingStore);
  // The crashed document stays kept (in Recent); the tab starts on a new one from the template.
  const reset = () => {
    sessionStorage.removeItem(TAB_DOCUMENT_KEY);
    location.replace(`${location.pathname}?template=${templateFile.replace(/\.json$/, '')}`);
  };
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App store={store} training={trainingStore} documents={documents} onReset={reset} />
    </StrictMode>,
  );
}

void start();
