import { useState } from 'react';
import { findNetwork } from '../graph/edits';
import { isError, type Problem } from '../graph/problems';
import { useCheck } from './derived';
import { useActions, useEditor } from './editorContext';
import { problemPlace } from './problemPlace';
import './ProblemsPanel.css';

/** A problem at a graph variable: its row in the Variables panel, scrolled to and focused. */
function showVariable(name: string) {
  const row = document.querySelector(`[data-testid="variable-${CSS.escape(name)}"]`);
  row?.scrollIntoView({ block: 'center' });
  row?.querySelector<HTMLElement>('input, select')?.focus();
}

/**
 * Every diagnostic of the graph, each at its place in the names on screen (the JSON path as a
 * detail); clicking one brings its place into view: the node centred (in its network's view
 * when it is a layer), or the variable's row.
 */
export function ProblemsPanel() {
  const actions = useActions();
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const [open, setOpen] = useState(true);
  const problems = useCheck(doc, limits).problems;
  const errors = problems.filter(isError).length;
  const warnings = problems.length - errors;
  const show = (p: Problem) => {
    if (p.variable !== undefined) showVariable(p.variable);
    else if (p.nodeId) actions.focusNode(p.nodeId, p.networkId);
    else if (p.networkId && findNetwork(doc, p.networkId)) actions.openNetwork(p.networkId);
  };
  return (
    <section className={`problems${open ? '' : ' collapsed'}`} data-testid="problems">
      <header>
        <button type="button" className="problems-toggle" onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} Problems
        </button>
        <span className={errors > 0 ? 'count error' : 'count ok'} data-testid="problem-count">
          {errors} error{errors === 1 ? '' : 's'}
          {warnings > 0 && `, ${warnings} warning${warnings === 1 ? '' : 's'}`}
        </span>
      </header>
      {open && (
        <ul>
          {problems.length === 0 && (
            <li className="muted">No problems: every shape fits and every loss is optimized.</li>
          )}
          {problems.map((p, i) => (
            <li key={i}>
              <button
                type="button"
                className={`problem ${isError(p) ? 'error' : 'warning'}`}
                onClick={() => show(p)}
                data-testid="problem-item"
              >
                <span className="problem-icon" aria-label={isError(p) ? 'error' : 'warning'}>
                  !
                </span>
                <span className="problem-place" data-testid="problem-place">
                  {problemPlace(p)}
                </span>
                <span className="problem-text">
                  <span className="problem-message">{p.message}</span>
                  <code className="problem-detail" title="Where it is in the document (JSON path)">
                    {p.path}
                  </code>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
