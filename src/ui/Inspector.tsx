import { useMemo } from 'react';
import type { CheckResult } from '../graph/check';
import type { GraphDocument, NodeDocument } from '../graph/document';
import {
  addNetwork,
  containerOf,
  renameNode,
  setDocumentInfo,
  setNodeLabel,
  setParam,
} from '../graph/edits';
import { appliedNetwork } from '../graph/networkReferences';
import { findNodeKind } from '../nodes';
import type { AnyNodeKind, NetworkRole, Shape } from '../nodes/kind';
import { isNetworkApplication } from '../nodes/networkApplication';
import { formatShape } from '../nodes/shapeRules';
import { useCheck, variablesFor } from './derived';
import { useActions, useEditor } from './editorContext';
import { CommitInput } from './forms/CommitInput';
import { ParamForm } from './forms/ParamForm';
import { fieldsThatApply, formFields, validateParams, type Field } from './forms/schemaForm';
import { NetworkCard } from './NetworkCard';
import { tapChoices } from './tapChoices';

function DocumentInfo() {
  const actions = useActions();
  const doc = useEditor((s) => s.document);
  return (
    <div className="inspector-document">
      <label className="field-label">Graph name</label>
      <CommitInput
        key={`name:${doc.name}`}
        value={doc.name}
        onCommit={(name) => actions.applyToDocument((d) => setDocumentInfo(d, { name }))}
        data-testid="document-name"
      />
      <label className="field-label">Description</label>
      <CommitInput
        key={`description:${doc.description ?? ''}`}
        value={doc.description ?? ''}
        onCommit={(description) =>
          actions.applyToDocument((d) => setDocumentInfo(d, { description }))
        }
      />
      <p className="muted small">
        Select a node to edit its params. Double-click a generator or discriminator to see its
        layers.
      </p>
    </div>
  );
}

/**
 * Pickers for params that name networks (a kind's `networkParams`: only networks of the role it
 * applies can be chosen) or the layers of one (an application's taps).
 */
function networkControls(
  doc: GraphDocument,
  check: CheckResult,
  node: NodeDocument,
  kind: AnyNodeKind,
  onChange: (name: string, value: unknown) => void,
  onNewNetwork: (param: string, role: NetworkRole) => void,
) {
  return (field: Field, value: unknown) => {
    const role = kind.appliesRole;
    const candidates = doc.networks.filter((n) => !role || n.role === role);
    if (kind.networkParams?.includes(field.name) && field.type === 'list') {
      const chosen = Array.isArray(value) ? (value as unknown[]) : [];
      return (
        <div className="checklist" data-testid={`field-input-${field.name}`}>
          {candidates.map((n) => (
            <label key={n.id}>
              <input
                type="checkbox"
                checked={chosen.includes(n.id)}
                onChange={(e) =>
                  onChange(
                    field.name,
                    e.target.checked ? [...chosen, n.id] : chosen.filter((x) => x !== n.id),
                  )
                }
              />
              {n.label ?? n.id}
            </label>
          ))}
        </div>
      );
    }
    if (kind.networkParams?.includes(field.name)) {
      return (
        <select
          value={typeof value === 'string' ? value : ''}
          onChange={(e) =>
            role && e.target.value === '+new'
              ? onNewNetwork(field.name, role)
              : onChange(field.name, e.target.value)
          }
          data-testid={`field-input-${field.name}`}
          aria-label={field.name}
        >
          {!candidates.some((n) => n.id === value) && (
            <option value={String(value ?? '')}>{String(value ?? 'choose…')} ⚠</option>
          )}
          {candidates.map((n) => (
            <option key={n.id} value={n.id}>
              {n.label ?? n.id}
            </option>
          ))}
          {role && <option value="+new">+ New {role} network</option>}
        </select>
      );
    }
    if (isNetworkApplication(kind) && field.name === 'taps') {
      const choices = tapChoices(doc, check, node);
      const toggle = (layer: string, on: boolean) => {
        const taps = choices.filter((c) => (c.layer === layer ? on : c.chosen)).map((c) => c.layer);
        onChange('taps', taps.length > 0 ? taps : undefined);
      };
      return (
        <div className="checklist checklist-column" data-testid="field-input-taps">
          {choices.length === 0 && <span className="muted small">no layers to tap</span>}
          {choices.map((c) => (
            <label key={c.layer} title={c.kind ? undefined : 'no such layer in this network'}>
              <input
                type="checkbox"
                checked={c.chosen}
                onChange={(e) => toggle(c.layer, e.target.checked)}
                data-testid={`tap-${c.layer}`}
              />
              <code>{c.layer}</code>
              <span className="muted small">
                {c.kind ? [c.kind, c.shape].filter(Boolean).join(' ') : '⚠ no such layer'}
              </span>
            </label>
          ))}
        </div>
      );
    }
    return undefined;
  };
}

function ShapeList({
  title,
  shapes,
}: {
  title: string;
  shapes: Record<string, Shape> | undefined;
}) {
  const entries = Object.entries(shapes ?? {});
  if (entries.length === 0) return null;
  return (
    <>
      <dt>{title}</dt>
      <dd>
        {entries.map(([port, shape]) => (
          <div key={port}>
            <code>{port}</code> {shape.length === 0 ? 'scalar' : formatShape(shape)}
          </div>
        ))}
      </dd>
    </>
  );
}

function NodeInspector({ node, networkId }: { node: NodeDocument; networkId: string | undefined }) {
  const actions = useActions();
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const application = useEditor((s) => (s.networkId ? s.applications[s.networkId] : undefined));
  const kind = findNodeKind(node.kind);
  const fields = useMemo(() => (kind ? formFields(kind.params) : []), [kind]);
  const variables = variablesFor(doc);
  const check = useCheck(doc, limits);
  if (!kind) {
    return <p className="field-error">Unknown node kind “{node.kind}”.</p>;
  }
  const params = node.params ?? {};
  const errors = validateParams(kind.params, params, variables);
  const shown = fieldsThatApply(fields, kind.paramsThatApply, params, variables, errors);
  const apps = networkId ? check.inference?.networks.get(networkId)?.applications : undefined;
  const shapes = networkId
    ? (
        (application ? apps?.get(application) : undefined) ?? apps?.values().next().value
      )?.nodes.get(node.id)
    : check.inference?.nodes.get(node.id);
  const problems = check.problems.filter((p) => p.nodeId === node.id && p.networkId === networkId);
  const onChange = (name: string, value: unknown) =>
    actions.apply((d, id) => setParam(d, node.id, name, value, id));
  const onNewNetwork = (param: string, role: NetworkRole) =>
    actions.apply((d, id) => {
      const added = addNetwork(d, role);
      return setParam(added.document, node.id, param, added.networkId, id);
    });
  const network = appliedNetwork(node);

  return (
    <div className="node-inspector" data-testid="inspector-node">
      <header>
        <span className="kind-badge">{kind.kind}</span>
        <p className="muted small">{kind.description}</p>
      </header>
      <label className="field-label">Id</label>
      <CommitInput
        key={`id:${node.id}`}
        value={node.id}
        onCommit={(newId) =>
          actions.apply((d, id) => {
            const renamed = renameNode(d, node.id, newId.trim(), id);
            return renamed.ok ? { ...renamed, ids: [newId.trim()] } : renamed;
          })
        }
        data-testid="node-id"
      />
      <label className="field-label">Label</label>
      <CommitInput
        key={`label:${node.id}:${node.label ?? ''}`}
        value={node.label ?? ''}
        placeholder={node.id}
        onCommit={(label) =>
          actions.apply((d, id) => setNodeLabel(d, node.id, label || undefined, id))
        }
        data-testid="node-label"
      />
      {shown.length > 0 && <h4>Params</h4>}
      <ParamForm
        key={`${networkId ?? ''}/${node.id}`}
        fields={shown}
        params={params}
        errors={errors}
        variables={variables}
        onChange={onChange}
        custom={networkControls(doc, check, node, kind, onChange, onNewNetwork)}
      />
      {(shapes || problems.length > 0) && (
        <dl className="facts">
          <ShapeList title="Inputs" shapes={shapes?.inputs} />
          <ShapeList title="Outputs" shapes={shapes?.outputs} />
        </dl>
      )}
      {problems.length > 0 && (
        <ul className="inspector-problems">
          {problems.map((p, i) => (
            <li key={i} className={p.severity === 'warning' ? 'warning' : 'error'}>
              {p.message}
            </li>
          ))}
        </ul>
      )}
      {network && <NetworkCard networkId={network} />}
    </div>
  );
}

/** The selected node's params, as a form derived from its kind's schema. */
export function Inspector() {
  const doc = useEditor((s) => s.document);
  const networkId = useEditor((s) => s.networkId);
  const selection = useEditor((s) => s.selection);
  const actions = useActions();
  const nodes = containerOf(doc, networkId).nodes;
  const selected = selection.nodes
    .map((id) => nodes.find((n) => n.id === id))
    .filter((n): n is NodeDocument => n !== undefined);

  let body;
  if (selected.length === 1) {
    body = <NodeInspector node={selected[0]!} networkId={networkId} />;
  } else if (selected.length > 1) {
    body = (
      <div>
        <p>{selected.length} nodes selected.</p>
        <div className="button-row">
          <button type="button" onClick={() => actions.duplicateSelection()}>
            Duplicate
          </button>
          <button type="button" className="danger" onClick={() => actions.deleteSelection()}>
            Delete
          </button>
        </div>
      </div>
    );
  } else if (networkId) {
    body = <NetworkCard networkId={networkId} />;
  } else {
    body = <DocumentInfo />;
  }
  return (
    <section className="panel inspector" data-testid="inspector">
      <h2>Inspector</h2>
      {body}
    </section>
  );
}
