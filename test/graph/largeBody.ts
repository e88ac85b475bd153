/**
 * A document whose generator is one long network body: the DCGAN template's generator written
 * out as layers, then `layers` more (Conv, InstanceNorm, Activation in turn) before its Output,
 * applied once in the training graph. What the linear-time check is measured and pinned on.
 * `faulty` makes every added Conv read a variable the graph lacks: a problem at each of them.
 */
import { readFileSync } from 'node:fs';
import { parseDocument, type GraphDocument, type NodeDocument } from '../../src/graph/document';
import { expandPreset } from '../../src/graph/presets';

const template = readFileSync(new URL('../../templates/dcgan.json', import.meta.url), 'utf8');

const LAYER: readonly Omit<NodeDocument, 'id'>[] = [
  { kind: 'Conv', params: { filters: 1, kernel: 3, padding: 'same' } },
  { kind: 'InstanceNorm' },
  { kind: 'Activation', params: { fn: 'leaky_relu' } },
];

export function largeBodyDocument(layers: number, { faulty = false } = {}): GraphDocument {
  const parsed = parseDocument(template);
  if (!parsed.ok) throw new Error('the DCGAN template does not parse');
  const doc = parsed.document;
  const generator = doc.networks.find((n) => n.id === 'G')!;
  const expanded = expandPreset('dcgan_generator', {
    size: doc.variables.size!.value,
    nz: doc.variables.nz!.value,
    ngf: 8,
    output_nc: 1,
  });
  if (!expanded.ok) throw new Error('the DCGAN generator does not expand');
  const body = expanded.body;
  const output = body.nodes.find((n) => n.kind === 'Output')!;
  const last = body.edges.findIndex((e) => e.target === output.id);
  let previous = body.edges[last]!;
  body.edges.splice(last, 1);
  for (let i = 0; i < layers; i++) {
    const id = `extra.${i}`;
    const layer = LAYER[i % LAYER.length]!;
    body.nodes.push(
      faulty && layer.kind === 'Conv'
        ? { id, ...layer, params: { ...layer.params, filters: '=missing' } }
        : { id, ...layer },
    );
    body.edges.push({ ...previous, target: id, targetPort: 'in' });
    previous = { source: id, sourcePort: 'out', target: output.id, targetPort: 'in' };
  }
  body.edges.push(previous);
  delete generator.preset;
  generator.body = body;
  return doc;
}
