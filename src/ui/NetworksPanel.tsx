import { describeStepMemory } from '../graph/budget';
import { formatMultiplyAdds } from '../graph/costs';
import { addNetwork } from '../graph/edits';
import { applicationsOf } from '../graph/networkReferences';
import { useCheck, formatCount, variablesFor } from './derived';
import { useActions, useEditor } from './editorContext';
import { networkColor } from './canvas/flowModel';
import { PRESET_CHOICES, currentChoice } from './presetChoices';

/**
 * Every network, its colour, architecture and parameter count, and what a training step will
 * need: where the user decides how large to make them.
 */
export function NetworksPanel() {
  const actions = useActions();
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const view = useEditor((s) => s.networkId);
  const check = useCheck(doc, limits);
  const variables = variablesFor(doc);
  const costOf = (id: string) => {
    const cost = check.estimate?.costs.networks.find((c) => c.id === id);
    return cost ? `${formatMultiplyAdds(cost.multiplyAdds)} MACs` : '';
  };
  return (
    <section className="panel networks" data-testid="networks">
      <h2>Networks</h2>
      <table>
        <tbody>
          {doc.networks.map((n) => {
            const choice = PRESET_CHOICES.find((c) => c.id === currentChoice(n, variables));
            const uses = applicationsOf(doc, n.id).length;
            return (
              <tr
                key={n.id}
                className={view === n.id ? 'current' : undefined}
                data-testid={`network-row-${n.id}`}
              >
                <td>
                  <span className="swatch" style={{ background: networkColor(doc, n.id) }} />
                </td>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => actions.openNetwork(n.id)}
                    title={`Open ${n.label ?? n.id}'s layers`}
                    data-testid={`open-network-${n.id}`}
                  >
                    {n.label ?? n.id}
                  </button>
                  <div className="muted small">
                    {n.body ? 'written-out layers' : (choice?.label ?? n.preset?.name)} · {uses}{' '}
                    application{uses === 1 ? '' : 's'}
                  </div>
                </td>
                <td className="count" data-testid={`network-params-${n.id}`}>
                  {formatCount(check.inference?.networks.get(n.id)?.parameterCount)}
                </td>
                <td
                  className="count muted"
                  title="Multiply-adds of one forward pass"
                  data-testid={`network-macs-${n.id}`}
                >
                  {costOf(n.id)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {check.estimate && (
        <p
          className={`step-memory small${check.problems.some((p) => p.code === 'budget') ? ' over' : ''}`}
          data-testid="step-memory"
          title="Weights, optimizer slots, gradients, the activations kept for the backward pass, image pools and the batch, in float32"
        >
          {capitalized(describeStepMemory(check.estimate, limits))}
        </p>
      )}
      <div className="button-row">
        <button
          type="button"
          onClick={() => actions.applyToDocument((d) => addNetwork(d, 'generator').document)}
        >
          + Generator
        </button>
        <button
          type="button"
          onClick={() => actions.applyToDocument((d) => addNetwork(d, 'discriminator').document)}
        >
          + Discriminator
        </button>
      </div>
    </section>
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
