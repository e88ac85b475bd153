/**
 * For the presets' tests: one preset network applied in a graph to noise or to images (batch
 * of 2), read back in shapes, so that each preset's test pins its output, layer shapes, weight
 * count and layer ids.
 */
import { checkDocument } from '../check';
import type { GraphDocument } from '../document';
import { expandPreset, PRESETS, type PresetName } from './index';

export function appliedPreset(
  name: PresetName,
  params: Record<string, unknown>,
  input: { nz: number } | { size: number; channels: 1 | 3 },
) {
  const expanded = expandPreset(name, params);
  if (!expanded.ok) throw new Error(JSON.stringify(expanded.problems));
  const role = PRESETS[name].role;
  const doc: GraphDocument = {
    format: 'ganvas-graph',
    version: 1,
    name: 'preset',
    variables: {},
    networks: [{ id: 'net', role, preset: { name, params } }],
    nodes: [
      'nz' in input
        ? { id: 'data', kind: 'Noise', params: { dim: input.nz, batchSize: 2 } }
        : { id: 'data', kind: 'Images', params: { ...input, batchSize: 2 } },
      {
        id: 'app',
        kind: role === 'generator' ? 'Generator' : 'Discriminator',
        params: { network: 'net' },
      },
    ],
    edges: [
      {
        source: 'data',
        sourcePort: 'nz' in input ? 'out' : 'real',
        target: 'app',
        targetPort: 'in',
      },
    ],
  };
  // No optimizer here: only the shapes are wanted.
  const checked = checkDocument(doc);
  const shapes = checked.inference!.networks.get('net')!;
  const application = shapes.applications.get('app');
  if (!application?.output) throw new Error(JSON.stringify(checked.problems));
  return {
    output: application.output.join('×'),
    /** The shape of a layer's output in this application. */
    layer: (id: string) => application.nodes.get(id)!.outputs.out!.join('×'),
    parameterCount: shapes.parameterCount!,
    ids: expanded.body.nodes.map((n) => n.id),
  };
}
