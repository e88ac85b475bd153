import { useReactFlow } from '@xyflow/react';
import { useEffect } from 'react';
import type { EditorActions } from './store';

export const SHORTCUTS: readonly [string, string][] = [
  ['Ctrl+Z', 'undo'],
  ['Ctrl+Shift+Z / Ctrl+Y', 'redo'],
  ['Ctrl+C / Ctrl+V', 'copy / paste'],
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

/** The editor's keys, except while typing in a field. */
export function useShortcuts(actions: EditorActions, autoLayout: () => void, inDialog: boolean) {
  const flow = useReactFlow();
  useEffect(() => {
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
      else if (mod && key === 'c') run(actions.copySelection);
      else if (mod && key === 'v') run(actions.paste);
      else if (mod && key === 'd') run(actions.duplicateSelection);
      else if (mod && key === 'a') run(actions.selectAll);
      else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) run(actions.deleteSelection);
      else if (!mod && key === 'f') run(() => void flow.fitView({ padding: 0.06, duration: 200 }));
      else if (!mod && key === 'l') run(autoLayout);
      else if (e.key === 'Escape') run(() => actions.openNetwork(undefined));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, autoLayout, flow, inDialog]);
}
