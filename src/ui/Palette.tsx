import { useReactFlow } from '@xyflow/react';
import { useMemo, useState } from 'react';
import { NODE_KINDS, type AnyNodeKind } from '../nodes';
import type { Category } from '../nodes/kind';
import { useActions, useEditor } from './editorContext';
import { addNodeOfKind } from './nodeFactory';

export const PALETTE_MIME = 'application/x-ganvas-kind';

const CATEGORIES: { id: Category; title: string }[] = [
  { id: 'data', title: 'Data' },
  { id: 'networks', title: 'Networks' },
  { id: 'layers', title: 'Layers' },
  { id: 'losses', title: 'Losses' },
  { id: 'training', title: 'Training' },
];

/** Node kinds that can be added here, grouped by category, filtered by the search. */
export function Palette() {
  const actions = useActions();
  const networkId = useEditor((s) => s.networkId);
  const flow = useReactFlow();
  const [query, setQuery] = useState('');
  const scope = networkId === undefined ? 'graph' : 'network';

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const fits = (k: AnyNodeKind) =>
      k.scopes.includes(scope) &&
      k.behavior !== 'input' &&
      k.behavior !== 'output' &&
      (q === '' || k.kind.toLowerCase().includes(q) || k.description.toLowerCase().includes(q));
    return CATEGORIES.map((c) => ({
      ...c,
      kinds: NODE_KINDS.filter((k) => k.category === c.id && fits(k)),
    })).filter((g) => g.kinds.length > 0);
  }, [query, scope]);

  const add = (kind: string) => {
    const rect = document.getElementById('canvas')?.getBoundingClientRect();
    const center = rect
      ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
      : { x: 0, y: 0 };
    actions.apply((doc, id) =>
      addNodeOfKind(doc, kind, { x: center.x - 95, y: center.y - 40 }, id),
    );
  };

  return (
    <nav className="palette" aria-label="Node palette">
      <input
        className="palette-search"
        type="search"
        placeholder={scope === 'graph' ? 'Search nodes…' : 'Search layers…'}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="palette-search"
      />
      {groups.length === 0 && <p className="muted">Nothing matches “{query}”.</p>}
      {groups.map((g) => (
        <section key={g.id} className="palette-group">
          <h3>{g.title}</h3>
          {g.kinds.map((k) => (
            <button
              key={k.kind}
              type="button"
              className={`palette-item palette-${g.id}`}
              title={`${k.description}\nClick to add, or drag onto the canvas`}
              draggable
              onDragStart={(e) => {
                e.dataTransfer.setData(PALETTE_MIME, k.kind);
                e.dataTransfer.effectAllowed = 'copy';
              }}
              onClick={() => add(k.kind)}
              data-testid={`palette-item-${k.kind}`}
            >
              <span className="palette-name">{k.kind}</span>
              <span className="palette-description">{k.description}</span>
            </button>
          ))}
        </section>
      ))}
    </nav>
  );
}
