import { useMemo } from 'react';
import { findNetwork, setNetworkInfo, setNetworkPreset, setPresetParam } from '../graph/edits';
import { formatBytes } from '../graph/budget';
import { formatMultiplyAdds, type NetworkCost } from '../graph/costs';
import { formatShape } from '../nodes/shapeRules';
import { applicationsOf } from '../graph/networkReferences';
import { PRESETS, type PresetName } from '../graph/presets';
import { useCheck, formatCount, variablesFor } from './derived';
import { useActions, useEditor } from './editorContext';
import { CommitInput } from './forms/CommitInput';
import { ParamForm } from './forms/ParamForm';
import { formFields, validateParams } from './forms/schemaForm';
import { choicesFor, currentChoice, paramsForChoice } from './presetChoices';
import { networkColor } from './canvas/flowModel';
import './networkCosts.css';

/**
 * Each layer's output shape beside what it costs: parameters, multiply-adds of the forward pass
 * and its output's memory (the conventions are costs.ts's), summed in the last row.
 */
function LayerCosts({ cost }: { cost: NetworkCost }) {
  return (
    <details className="layer-costs" data-testid={`layer-costs-${cost.id}`}>
      <summary>Layer costs (as applied by {cost.application})</summary>
      <table>
        <thead>
          <tr>
            <th>Layer</th>
            <th>Output</th>
            <th title="Trainable values">Params</th>
            <th title="Multiply-adds of one forward pass, for the whole batch">MACs</th>
            <th title="Its output in float32, one forward pass">Memory</th>
          </tr>
        </thead>
        <tbody>
          {cost.layers.map((l) => (
            <tr key={l.layer.id} data-testid={`layer-cost-${l.layer.id}`}>
              <td title={l.layer.kind}>
                <code>{l.layer.id}</code> <span className="muted">{l.layer.kind}</span>
              </td>
              <td>{l.outputs[0] ? formatShape(l.outputs[0]) : '–'}</td>
              <td>{formatCount(l.parameters)}</td>
              <td>{formatMultiplyAdds(l.multiplyAdds)}</td>
              <td>{formatBytes(l.activationBytes)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>Network</td>
            <td />
            <td>{formatCount(cost.parameters)}</td>
            <td>{formatMultiplyAdds(cost.multiplyAdds)}</td>
            <td>{formatBytes(cost.activationBytes)}</td>
          </tr>
        </tfoot>
      </table>
    </details>
  );
}

/**
 * One network: its name and colour (shared by all its applications), its architecture (a preset
 * with params, or written-out layers), its size, and where it is applied.
 */
export function NetworkCard({ networkId }: { networkId: string }) {
  const actions = useActions();
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const view = useEditor((s) => s.networkId);
  const network = findNetwork(doc, networkId);
  const variables = variablesFor(doc);
  const check = useCheck(doc, limits);
  const presetName = network?.preset?.name as PresetName | undefined;
  const presetSchema =
    presetName && Object.hasOwn(PRESETS, presetName) ? PRESETS[presetName].params : undefined;
  const fields = useMemo(() => (presetSchema ? formFields(presetSchema) : []), [presetSchema]);
  if (!network) return null;
  const shapes = check.inference?.networks.get(networkId);
  const share = check.estimate?.networks.find((n) => n.id === networkId);
  const cost = check.estimate?.costs.networks.find((n) => n.id === networkId);
  const applications = applicationsOf(doc, networkId);
  const choice = currentChoice(network, variables);
  const presetParams = network.preset?.params ?? {};
  const errors = presetSchema ? validateParams(presetSchema, presetParams, variables) : {};

  return (
    <section className="network-card" data-testid={`network-card-${networkId}`}>
      <div className="network-card-head">
        <input
          type="color"
          value={
            /^#[0-9a-f]{6}$/i.test(networkColor(doc, networkId))
              ? networkColor(doc, networkId)
              : '#64748b'
          }
          onChange={(e) =>
            actions.applyToDocument((d) => setNetworkInfo(d, networkId, { color: e.target.value }))
          }
          aria-label="Network colour"
          title="Colour of this network and of all its applications"
        />
        <CommitInput
          key={network.label ?? ''}
          value={network.label ?? ''}
          placeholder={network.id}
          onCommit={(label) =>
            actions.applyToDocument((d) =>
              setNetworkInfo(d, networkId, { label: label || network.id }),
            )
          }
          aria-label="Network name"
          className="network-name-input"
        />
      </div>
      <dl className="facts">
        <dt>Network</dt>
        <dd>
          <code>{network.id}</code> · {network.role}
        </dd>
        <dt>Parameters</dt>
        <dd data-testid={`param-count-${networkId}`}>{formatCount(shapes?.parameterCount)}</dd>
        <dt>Forward</dt>
        <dd
          data-testid={`network-macs-${networkId}`}
          title="Multiply-adds of one forward pass, for the whole batch; and its layers' outputs"
        >
          {cost
            ? `${formatMultiplyAdds(cost.multiplyAdds)} multiply-adds, ${formatBytes(cost.activationBytes)} of outputs`
            : '–'}
        </dd>
        <dt>Memory</dt>
        <dd
          data-testid={`network-memory-${networkId}`}
          title="Its weights, optimizer slots and the activations of its applications, in a training step"
        >
          {share ? `about ${formatBytes(share.bytes)}` : '–'}
          {check.estimate && (
            <span className="muted"> of {formatBytes(check.estimate.total)} a step</span>
          )}
        </dd>
        <dt>Applied by</dt>
        <dd>
          {applications.length === 0 && <span className="muted">nothing yet</span>}
          {applications.map((a) => (
            <button
              key={a.id}
              type="button"
              className="link"
              onClick={() => actions.focusNode(a.id)}
              title="Show this application in the training graph"
            >
              {a.label ?? a.id}
            </button>
          ))}
        </dd>
      </dl>
      <label className="field-label" htmlFor={`preset-${networkId}`}>
        Architecture
      </label>
      <select
        id={`preset-${networkId}`}
        value={network.body ? 'layers' : (choice ?? 'custom')}
        onChange={(e) => {
          const picked = choicesFor(network.role).find((c) => c.id === e.target.value);
          if (picked) {
            actions.applyToDocument((d) =>
              setNetworkPreset(d, networkId, picked.preset, paramsForChoice(network, picked)),
            );
          }
        }}
        data-testid="preset-select"
      >
        {network.body && <option value="layers">Written-out layers</option>}
        {!network.body && !choice && (
          <option value="custom">
            {presetName} ({PRESETS[presetName!]?.description ?? 'unknown preset'})
          </option>
        )}
        {choicesFor(network.role).map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
      {presetSchema && (
        <>
          <p className="muted small">{PRESETS[presetName!].description}</p>
          <ParamForm
            key={networkId}
            fields={fields}
            params={presetParams}
            errors={errors}
            variables={variables}
            onChange={(name, value) =>
              actions.applyToDocument((d) => setPresetParam(d, networkId, name, value))
            }
          />
        </>
      )}
      {network.body && (
        <p className="muted small">
          Its layers are written out: edit them one by one, or pick an architecture above to build
          it from a preset again.
        </p>
      )}
      {cost && <LayerCosts cost={cost} />}
      {view !== networkId && (
        <button
          type="button"
          className="primary"
          onClick={() => actions.openNetwork(networkId)}
          data-testid={`open-network-${networkId}`}
        >
          Open layers
        </button>
      )}
    </section>
  );
}
