import { z } from 'zod';
import { InputNode, OutputNode } from './bodyBoundary';
import {
  defineNodeKind,
  ShapeError,
  type AnyNodeKind,
  type AppliedNetworkShapes,
  type NodeKind,
  type Category,
  type PortSpec,
  type Shape,
} from './kind';
import { expectConnected, formatShape } from './shapeRules';

const params = z
  .object({
    network: z
      .string()
      .min(1)
      .describe('The network applied; its weights are shared by every application'),
    taps: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Layers of the network whose outputs this application also gives, each on an output ' +
          "port named after the layer (a discriminator's features, for feature matching or " +
          "EBGAN's pull-away term)",
      ),
  })
  .refine((p) => new Set(p.taps).size === p.taps.length, {
    message: 'a layer is tapped twice',
    path: ['taps'],
  })
  .refine((p) => !p.taps.includes('out'), {
    message: 'a layer named "out" cannot be tapped: "out" is the output of the whole network',
    path: ['taps'],
  });

export type NetworkApplicationParams = z.infer<typeof params>;

/** The layers of a network's body that an application may tap: all but its Input and Output. */
export function tappableLayers(layers: readonly { id: string; kind: string }[]): string[] {
  return layers
    .filter((l) => l.kind !== InputNode.kind && l.kind !== OutputNode.kind)
    .map((l) => l.id);
}

/**
 * One output port per tapped layer. The editor also draws ports from params that do not parse
 * (nodePorts falls back to them as written), so this keeps to the taps that can be ports.
 */
function tapPorts(p: NetworkApplicationParams): PortSpec[] {
  const written: unknown[] = Array.isArray(p.taps) ? p.taps : [];
  const layers = written.filter(
    (t): t is string => typeof t === 'string' && t !== '' && t !== 'out',
  );
  return [...new Set(layers)].map((layer) => ({
    name: layer,
    type: 'feature',
    description: `The output of layer "${layer}" of network "${p.network}" in this application`,
  }));
}

/**
 * The shapes of the tapped layers in this application. A tap naming no layer of the network is
 * reported where the document names it (resolveGraph knows the network's layers and the path);
 * here it just has no shape, so that what it feeds is not reported again.
 */
function tapShapes(applied: AppliedNetworkShapes, taps: readonly string[]): Record<string, Shape> {
  const shapes: Record<string, Shape> = {};
  for (const layer of taps) {
    const shape = applied.layers.get(layer);
    if (shape) shapes[layer] = shape;
  }
  return shapes;
}

const common = {
  category: 'networks' as Category,
  behavior: 'network' as const,
  scopes: ['graph'] as const,
  params,
  networkParams: ['network'] as const,
  inputs: () => [{ name: 'in', type: 'feature' as const }],
};

/**
 * One application of a generator network. The network's weights live once, in the document's
 * `networks`; every Generator node naming it applies the same weights.
 */
export const GeneratorNode = defineNodeKind({
  ...common,
  kind: 'Generator',
  appliesRole: 'generator',
  description: 'Applies a generator network; all applications of one network share its weights',
  outputs: (p) => [{ name: 'out', type: 'image' as const }, ...tapPorts(p)],
  inferShapes(inputs, p, context) {
    const applied = context.applyNetwork(p.network, expectConnected(inputs.in, 'in'));
    const out = applied.output;
    const channels = out[out.length - 1];
    if (out.length !== 4 || (channels !== 1 && channels !== 3)) {
      throw new ShapeError(
        `generator "${p.network}" must produce images N×H×W×1 or N×H×W×3, produces ${formatShape(out)}`,
      );
    }
    return { out, ...tapShapes(applied, p.taps) };
  },
});

/**
 * One application of a discriminator network (a critic): image in, realness scores out, and the
 * outputs of the layers it taps (the features that feature matching and EBGAN's pull-away term
 * compare).
 */
export const DiscriminatorNode = defineNodeKind({
  ...common,
  kind: 'Discriminator',
  appliesRole: 'discriminator',
  description: 'Applies a discriminator network; all applications of one network share its weights',
  outputs: (p) => [{ name: 'out', type: 'feature' as const }, ...tapPorts(p)],
  inferShapes(inputs, p, context) {
    const applied = context.applyNetwork(p.network, expectConnected(inputs.in, 'in'));
    return { out: applied.output, ...tapShapes(applied, p.taps) };
  },
});

/** Whether a kind applies a network: a Generator or a Discriminator, which share their params. */
export function isNetworkApplication(kind: AnyNodeKind): kind is NodeKind<typeof params> {
  return kind === GeneratorNode || kind === DiscriminatorNode;
}
