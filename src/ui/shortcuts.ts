import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import type { EditorActions } from './store';

export const SHORTCUTS: readonly [string, string][] = [
  ['Ctrl+Z', 'undo'],
  ['Ctrl+Shift+Z / Ctrl+Y', 'redo'],
  ['Ctrl+C / Ctrl+V', 'copy / paste, also between tabs'],
  ['Ctrl+D', 'duplicate'],
  ['Delete', 'delete the selection'],
  ['Ctrl+A', 'select all'],
  ['Shift+drag', 'select an area'],
  ['F', 'fit view'],
  ['L', 'auto-layout'],
  ['Esc', 'back to the training graph'],
];

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** The in-app clipboard holds the copy already; the system one may refuse it (no permission). */
function writeSystemClipboard(text: string) {
  try {
    navigator.clipboard.writeText(text).catch(() => undefined);
  } catch {
    // No clipboard API outside secure contexts.
  }
}

/**
 * The editor's keys, except while typing in a field. Ctrl+C also puts the copy on the system
 * clipboard, as text, for other tabs. Ctrl+V pastes on the `paste` event that the browser fires
 * after the key, which carries the system clipboard's text (a copy from another tab); where the
 * browser fires none, the key itself pastes from the in-app clipboard. Either way, once.
 */
export function useShortcuts(actions: EditorActions, autoLayout: () => void, inDialog: boolean) {
  const flow = useReactFlow();
  useEffect(() => {
    let pasteAfterKey: ReturnType<typeof setTimeout> | undefined;
    const onPaste = (e: ClipboardEvent) => {
      if (inDialog || typing(e.target)) return;
      clearTimeout(pasteAfterKey);
      pasteAfterKey = undefined;
      e.preventDefault();
      actions.pasteText(e.clipboardData?.getData('text/plain') ?? '');
    };
    const onKey = (e: KeyboardEvent) => {
      if (inDialog || typing(e.target)) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const run = (f: () => void) => {
        e.preventDefault();
        f();
      };
      if (mod && key === 'z') run(e.shiftKey ? actions.redo : actions.undo);
      else if (mod && key === 'y') run(actions.redo);
      else if (mod && key === 'c') {
        run(() => {
          const text = actions.copySelection();
          if (text !== undefined) writeSystemClipboard(text);
        });
      } else if (mod && key === 'v') {
        // Not prevented, so that the browser fires `paste` (synchronously, before this timer).
        clearTimeout(pasteAfterKey);
        pasteAfterKey = setTimeout(() => {
          pasteAfterKey = undefined;
          actions.paste();
        });
      } else if (mod && key === 'd') run(actions.duplicateSelection);
      else if (mod && key === 'a') run(actions.selectAll);
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) run(actions.deleteSelection);
      else if (!mod && key === 'f') run(() => void flow.fitView({ padding: 0.06, duration: 200 }));
      else if (!mod && key === 'l') run(autoLayout);
      else if (e.key === 'Escape') run(() => actions.openNetwork(undefined));
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      clearTimeout(pasteAfterKey);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  }, [actions, autoLayout, flow, inDialog]);
}
