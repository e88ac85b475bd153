/**
 * The drafts open on the page: text typed into an input and not yet committed. An input commits
 * its draft on Enter and on blur; a page being closed or reloaded blurs nothing, so the page
 * commits every open draft itself before it goes (main.tsx), and the autosave keeps them.
 */
const open = new Set<{ commit(): void }>();

/** Registers a draft's commit; returns its removal. */
export function registerDraft(draft: { commit(): void }): () => void {
  open.add(draft);
  return () => open.delete(draft);
}

/** Commits every open draft, once: a draft committed is no longer open. */
export function commitOpenDrafts(): void {
  const drafts = [...open];
  open.clear();
  for (const draft of drafts) draft.commit();
}
