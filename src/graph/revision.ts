/**
 * A graph's revision: what decides the training program, as a short stable string. The document
 * without its layout and identity, plus the variable overrides a run sets: two graphs with one
 * revision train the same, and moving a node or renaming the document does not change it. A run
 * records the revision it trains, and its history starts a new segment where the revision changes.
 */
import type { GraphDocument } from './document';
import type { VariableValue } from './expression';

export function graphRevision(
  doc: GraphDocument,
  overrides: Readonly<Record<string, VariableValue>>,
): string {
  const strip = <T extends { position?: unknown }>(nodes: readonly T[]) =>
    nodes.map(({ position: _position, ...rest }) => rest);
  return hash(
    JSON.stringify({
      variables: doc.variables,
      nodes: strip(doc.nodes),
      edges: doc.edges,
      networks: doc.networks.map((n) =>
        n.body ? { ...n, body: { ...n.body, nodes: strip(n.body.nodes) } } : n,
      ),
      overrides,
    }),
  );
}

/** Two independent 32-bit FNV-1a hashes: 16 hex digits, collisions out of practical reach. */
function hash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
