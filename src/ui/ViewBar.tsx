import { findNetwork } from '../graph/edits';
import { formatCount, useCheck } from './derived';
import { useActions, useEditor } from './editorContext';
import { networkColor } from './canvas/flowModel';
import { SHAPE_ORDERS, type ShapeOrder } from './canvas/shapeOrder';
import { useTraining, useTrainingActions } from './training/trainingContext';

/** The one place the layout of shapes is said, and where PyTorch's order is chosen. */
function ShapeOrderChoice() {
  const order = useTraining((s) => s.settings.shapeOrder);
  const training = useTrainingActions();
  const shown = SHAPE_ORDERS.find((o) => o.order === order);
  return (
    <label className="shape-order" title={shown?.title}>
      Shapes
      <select
        value={order}
        onChange={(e) => training.setSettings({ shapeOrder: e.target.value as ShapeOrder })}
        data-testid="shape-order"
      >
        {SHAPE_ORDERS.map((o) => (
          <option key={o.order} value={o.order} title={o.title}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Where the canvas is: the training graph, or inside one network (with a way back). */
export function ViewBar() {
  const actions = useActions();
  const doc = useEditor((s) => s.document);
  const limits = useEditor((s) => s.limits);
  const networkId = useEditor((s) => s.networkId);
  const application = useEditor((s) => (s.networkId ? s.applications[s.networkId] : undefined));
  const network = networkId ? findNetwork(doc, networkId) : undefined;
  const check = useCheck(doc, limits);
  const shapes = networkId ? check.inference?.networks.get(networkId) : undefined;
  const applications = [...(shapes?.applications.keys() ?? [])];
  return (
    <div className="viewbar" data-testid="viewbar">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <button
          type="button"
          className={network ? 'link' : 'current'}
          onClick={() => actions.openNetwork(undefined)}
          data-testid="breadcrumb-root"
        >
          Training graph
        </button>
        {network && (
          <>
            <span className="separator">›</span>
            <span className="current" data-testid="breadcrumb-network">
              <span className="swatch" style={{ background: networkColor(doc, network.id) }} />
              {network.label ?? network.id}
            </span>
          </>
        )}
      </nav>
      {network && (
        <div className="viewbar-tools">
          <span className="muted">{formatCount(shapes?.parameterCount)} parameters</span>
          {applications.length > 0 && (
            <label>
              Shapes for{' '}
              <select
                value={application ?? applications[0]}
                onChange={(e) => actions.showApplication(network.id, e.target.value)}
                data-testid="application-select"
              >
                {applications.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
          )}
          {network.preset && (
            <span className="muted small">
              Built from a preset: editing a layer writes its layers out.
            </span>
          )}
        </div>
      )}
      <ShapeOrderChoice />
    </div>
  );
}
