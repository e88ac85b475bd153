import { useEffect, useMemo, useState } from 'react';
import { graphPicture } from './canvas/graphPicture';
import type { GraphDocument } from '../graph/document';
import { Dialog } from './Dialog';
import { useActions, useEditor } from './editorContext';
import { encodeShareFragment } from './persistence';
import { TEMPLATES } from './templates';
import { useTrainingActions } from './training/trainingContext';

/** The problems of a file or link that could not be opened, each with its place. */
export function ReportDialog() {
  const report = useEditor((s) => s.report);
  const actions = useActions();
  if (!report) return null;
  return (
    <Dialog title={report.title} onClose={() => actions.showReport(null)} testId="report" wide>
      <ul className="report-problems">
        {report.problems.map((p, i) => (
          <li key={i} data-testid="report-problem">
            <code>{p.path}</code>: {p.message}
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

export function ShareDialog({ document, onClose }: { document: GraphDocument; onClose(): void }) {
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  useEffect(() => {
    let live = true;
    void encodeShareFragment(document).then(async (fragment) => {
      const url = `${location.origin}${location.pathname}#${fragment}`;
      if (!live) return;
      setLink(url);
      try {
        await navigator.clipboard.writeText(url);
        if (live) setCopied('yes');
      } catch {
        if (live) setCopied('no');
      }
    });
    return () => {
      live = false;
    };
  }, [document]);
  return (
    <Dialog title="Share link" onClose={onClose} testId="share-dialog" wide>
      <p className="muted">
        The link carries the whole graph, compressed, in its fragment (after “#”): it never reaches
        a server. Opening it shows this graph.
      </p>
      <input
        className="share-link"
        readOnly
        value={link ?? 'Compressing…'}
        onFocus={(e) => e.target.select()}
        data-testid="share-link"
      />
      <p className="small muted">
        {link && `${link.length.toLocaleString()} characters. `}
        {copied === 'yes' && 'Copied to the clipboard.'}
        {copied === 'no' && 'Select the link and copy it.'}
      </p>
    </Dialog>
  );
}

/** A template's graph drawn small, as the canvas will show it. */
function TemplatePicture({ document }: { document: GraphDocument }) {
  const picture = useMemo(() => graphPicture(document), [document]);
  return (
    <svg
      className="template-picture"
      viewBox={picture.viewBox}
      preserveAspectRatio="xMidYMid meet"
      role="img"
      aria-label={`The ${document.name} graph`}
      data-testid="template-picture"
    >
      {picture.curves.map((d, i) => (
        <path key={i} d={d} />
      ))}
      {picture.boxes.map((b) => (
        <rect
          key={b.id}
          x={b.x}
          y={b.y}
          width={b.width}
          height={b.height}
          rx={14}
          style={{ fill: b.color }}
        />
      ))}
    </svg>
  );
}

export function TemplateGallery({ onClose }: { onClose(): void }) {
  const actions = useActions();
  const training = useTrainingActions();
  return (
    <Dialog title="Templates" onClose={onClose} testId="template-gallery" wide>
      <ul className="templates">
        {TEMPLATES.map((t) => (
          <li key={t.file}>
            <button
              type="button"
              onClick={() => {
                actions.replaceDocument(t.document, `Opened the ${t.document.name} template`);
                training.applyFirstRun(t.file);
                onClose();
              }}
              data-testid={`template-${t.file}`}
            >
              <TemplatePicture document={t.document} />
              <span className="template-text">
                <strong>{t.document.name}</strong>
                <span className="template-description">{t.document.description ?? t.file}</span>
                <span className="muted small">
                  {t.document.nodes.length} nodes · {t.document.networks.length} networks · {t.file}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
