/**
 * The inspector's choices for a network application's taps: the layers of the network it
 * applies, in the order of its body, each with the shape it gives in this application. Pure, so
 * that the choices are tested in Node.
 */
import type { CheckResult } from '../graph/check';
import type { GraphDocument, NodeDocument } from '../graph/document';
import { containerOf } from '../graph/edits';
import { appliedNetwork } from '../graph/networkReferences';
import { tappableLayers } from '../nodes/networkApplication';
import { formatShape } from '../nodes/shapeRules';

export interface TapChoice {
  layer: string;
  /** The layer's kind ("Dense"); absent for a tap that names no layer of the network. */
  kind?: string;
  /** What the layer gives in this application ("64×32"), when the check knows. */
  shape?: string;
  chosen: boolean;
}

export function tapChoices(
  doc: GraphDocument,
  check: CheckResult,
  application: NodeDocument,
): TapChoice[] {
  const network = appliedNetwork(application);
  const written = application.params?.taps;
  const chosen = Array.isArray(written) ? (written as unknown[]) : [];
  const body = network ? containerOf(doc, network) : { nodes: [] };
  const shapes = network
    ? check.inference?.networks.get(network)?.applications.get(application.id)?.nodes
    : undefined;
  const layers = tappableLayers(body.nodes);
  const kinds = new Map(body.nodes.map((n) => [n.id, n.kind]));
  const choices: TapChoice[] = layers.map((layer) => {
    const shape = shapes?.get(layer)?.outputs.out;
    return {
      layer,
      kind: kinds.get(layer)!,
      ...(shape ? { shape: formatShape(shape) } : {}),
      chosen: chosen.includes(layer),
    };
  });
  // Taps naming no layer (the network changed, a layer was removed) stay visible to untick.
  const unknown = chosen.filter((t): t is string => typeof t === 'string' && !layers.includes(t));
  return [...choices, ...unknown.map((layer) => ({ layer, chosen: true }))];
}
