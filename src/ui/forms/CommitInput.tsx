import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { registerDraft } from './drafts';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'onBlur'> & {
  value: string;
  /** Called once the text is done: on Enter, on blur, or when the page hides, if it changed. */
  onCommit(text: string): void;
};

/**
 * A text input that commits when the text is done, not on every key, so that typing "128" is
 * one edit (one undo step), not three. Escape goes back to the committed text. Give it a `key`
 * that changes with `value` so that a change from elsewhere (an undo) shows.
 */
export function CommitInput({ value, onCommit, onKeyDown, ...rest }: Props) {
  const [draft, setDraft] = useState(value);
  // The page commits an open draft when it hides (see drafts.ts), when no blur comes.
  useEffect(() => {
    if (draft === value) return undefined;
    return registerDraft({ commit: () => onCommit(draft) });
  }, [draft, value, onCommit]);
  const commit = () => {
    if (draft !== value) onCommit(draft);
  };
  return (
    <input
      {...rest}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
        if (e.key === 'Escape') setDraft(value);
        onKeyDown?.(e);
      }}
    />
  );
}
