/** New nodes from the palette: a fresh id, params the schema does not default, a network. */
import { withArticle } from '../graph/connections';
import type { GraphDocument, NodeDocument } from '../graph/document';
import { addNetwork, addNode, containerOf, freshNodeId, type XY } from '../graph/edits';
import { findNodeKind } from '../nodes';
import { variablesFor } from './derived';
import { formFields, initialParams } from './forms/schemaForm';

/**
 * Networks a new node's list param may start with: those no other node of its kind names there
 * yet (a new optimizer updates the networks no optimizer updates).
 */
function networksUnclaimed(doc: GraphDocument, kindName: string, param: string): string[] {
  const claimed = new Set(
    doc.nodes
      .filter((n) => n.kind === kindName)
      .flatMap((n) => {
        const value = n.params?.[param];
        return Array.isArray(value) ? value : [];
      }),
  );
  return doc.networks.map((n) => n.id).filter((id) => !claimed.has(id));
}

/**
 * Adds a node of a kind at a position; returns the document and the new node's id. A node that
 * applies a network (a Generator, a Discriminator, a gradient penalty's critic) applies the first
 * network of its role, or a new one if there is none; a list of networks starts with those not
 * yet named by another node of the kind. What is still missing its form says in words.
 */
export function addNodeOfKind(
  doc: GraphDocument,
  kindName: string,
  position: XY,
  networkId?: string,
): { ok: true; document: GraphDocument; ids: string[] } | { ok: false; reason: string } {
  const kind = findNodeKind(kindName);
  if (!kind) return { ok: false, reason: `unknown node kind "${kindName}"` };
  const scope = networkId === undefined ? 'graph' : 'network';
  if (!kind.scopes.includes(scope)) {
    return {
      ok: false,
      reason:
        scope === 'graph'
          ? `${withArticle(kind.kind)} layer belongs inside a network: open one to add it`
          : `${withArticle(kind.kind)} node belongs in the training graph, not inside a network`,
    };
  }
  let next = doc;
  const params = initialParams(formFields(kind.params), variablesFor(doc));
  const role = kind.appliesRole;
  if (role) {
    let network = doc.networks.find((n) => n.role === role)?.id;
    if (!network) {
      const added = addNetwork(next, role);
      next = added.document;
      network = added.networkId;
    }
    for (const param of kind.networkParams ?? []) params[param] = network;
  } else {
    for (const param of kind.networkParams ?? []) {
      if (Array.isArray(params[param])) params[param] = networksUnclaimed(doc, kind.kind, param);
    }
  }
  const id = freshNodeId(containerOf(next, networkId), kind.kind.toLowerCase());
  const node: NodeDocument = {
    id,
    kind: kind.kind,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    ...(Object.keys(params).length > 0 ? { params } : {}),
  };
  return { ok: true, document: addNode(next, node, networkId), ids: [id] };
}
