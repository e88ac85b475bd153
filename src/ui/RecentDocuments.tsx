import { useState } from 'react';
import { useStore } from 'zustand';
import { Dialog } from './Dialog';
import type { DocumentSession } from './documentSession';
import { useEditor } from './editorContext';

/** "just now", "5 min ago", "3 h ago", else the date and time. */
export function describeEdited(edited: number, now: number): string {
  const minutes = Math.floor((now - edited) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)} h ago`;
  return new Date(edited).toLocaleString();
}

/** The graphs kept in this browser, most recently edited first: one opens in this tab. */
export function RecentDocuments({
  documents,
  onClose,
}: {
  documents: DocumentSession;
  onClose(): void;
}) {
  const openId = useEditor((s) => s.document.id);
  const [entries, setEntries] = useState(() => documents.recent());
  const [now] = useState(() => Date.now());
  return (
    <Dialog title="Recent graphs" onClose={onClose} testId="recent-documents" wide>
      <p className="muted small">
        Every graph opened here is kept in this browser with its edits. The oldest unpinned go when
        there are too many.
      </p>
      <ul className="templates recent-documents">
        {entries.map((entry) => (
          <li key={entry.id} className="recent-document">
            <button
              type="button"
              disabled={entry.id === openId}
              onClick={() => {
                documents.open(entry.id);
                onClose();
              }}
              data-testid={`recent-${entry.id}`}
            >
              <strong>{entry.name}</strong>
              <span className="muted small">
                {entry.id === openId ? 'open here · ' : ''}edited{' '}
                {describeEdited(entry.edited, now)}
              </span>
            </button>
            <button
              type="button"
              className={`icon recent-pin${entry.pinned ? ' active' : ''}`}
              title={entry.pinned ? 'Unpin: may go when there are too many' : 'Pin: always kept'}
              aria-label={entry.pinned ? `Unpin ${entry.name}` : `Pin ${entry.name}`}
              aria-pressed={entry.pinned === true}
              onClick={() => {
                documents.setPinned(entry.id, !entry.pinned);
                setEntries(documents.recent());
              }}
              data-testid={`recent-pin-${entry.id}`}
            >
              📌
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/** Another tab saved this graph while this tab had edits: the user chooses, nothing is lost. */
export function ConflictDialog({ documents }: { documents: DocumentSession }) {
  const conflict = useStore(documents.conflict, (s) => s.conflict);
  if (!conflict) return null;
  return (
    <Dialog
      title="This graph was changed in another tab"
      onClose={() => documents.resolve('copy')}
      testId="conflict"
    >
      <p>
        “{conflict.name}” was saved in another tab after this tab last saw it, and this tab has
        edits of its own. Which should this tab keep?
      </p>
      <div className="button-row conflict-choices">
        <button
          type="button"
          className="primary"
          onClick={() => documents.resolve('copy')}
          data-testid="conflict-copy"
        >
          Keep both (mine as a copy)
        </button>
        <button
          type="button"
          onClick={() => documents.resolve('theirs')}
          data-testid="conflict-theirs"
        >
          Show the other tab’s
        </button>
        <button type="button" onClick={() => documents.resolve('mine')} data-testid="conflict-mine">
          Save mine over it
        </button>
      </div>
      <p className="muted small">
        Closing this keeps both. Showing the other tab’s keeps yours a step back in undo.
      </p>
    </Dialog>
  );
}
