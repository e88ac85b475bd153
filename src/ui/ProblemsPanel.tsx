import { useState } from 'react';
import { findNetwork } from '../graph/edits';
import { isError, type Problem } from '../graph/problems';
import { useCheck } from './derived';
import { useActions, useEditor } from './editorContext';

/** Every diagnostic of the graph; clicking one shows its node. */
export function ProblemsPanel() {
  const actions = useActions();
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const [open, setOpen] = useState(true);
  const problems = useCheck(doc, limits).problems;
  const errors = problems.filter(isError).length;
  const warnings = problems.length - errors;
  const show = (p: Problem) => {
    if (p.nodeId) actions.focusNode(p.nodeId, p.networkId);
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
                <code className="problem-path">{p.path}</code>
                <span className="problem-message">{p.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
