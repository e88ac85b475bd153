/**
 * What each layer costs, from the inferred shapes: its parameters, the multiply-adds of its
 * forward pass, and the memory of its output; summed per network and per training step. The
 * memory budget (budget.ts) reads its weights and outputs from here.
 *
 * Conventions (as fvcore and the papers count):
 * - parameters: trainable values (a batch norm's running statistics are state, not parameters);
 * - multiply-adds, for the whole batch the shapes carry: a weight applied at every position of
 *   its output costs one multiply-add per value per position, so a convolution costs output
 *   elements × kernel area × input channels / groups (output positions × its kernel's values),
 *   a dense layer batch × inputs × outputs; a transposed convolution scatters every input
 *   position through its kernel, so input positions × kernel area × output channels. Biases,
 *   norms, activations, padding, additions and resizing are not multiply-adds and count 0;
 * - activation memory: the layer's output in float32, one forward pass. A training step keeps
 *   about ACTIVATION_FACTOR times that for the backward pass (see budget.ts).
 */
import type { Shape, WeightSpec } from '../nodes/kind';
import type { BodyShapes, Inference } from './inference';
import type { ResolvedGraph, ResolvedNetwork, ResolvedNode } from './resolve';

export const BYTES_PER_VALUE = 4;

export function valuesIn(shape: Shape): number {
  // A loop, not reduce: called for every layer's every tensor, and reduce's callback boxes
  // every product past 2^31.
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Every axis but the channels: where a kernel is applied. */
const positionsIn = (shape: Shape | undefined) => (shape ? valuesIn(shape.slice(0, -1)) : 0);

/**
 * The layer a cost is of, as plain data (not the resolved node, which holds its kind's
 * functions): a large document's check is made in a worker and its costs are sent to the page.
 */
export interface CostedLayer {
  id: string;
  kind: string;
  path: ResolvedNode['path'];
}

export interface LayerCost {
  layer: CostedLayer;
  weights: WeightSpec[];
  outputs: Shape[];
  parameters: number;
  multiplyAdds: number;
  activationBytes: number;
}

export interface NetworkCost {
  id: string;
  /** The application whose shapes the layers are counted at (the network's first). */
  application: string;
  layers: readonly LayerCost[];
  parameters: number;
  /** One forward pass at that application's shapes. */
  multiplyAdds: number;
  activationBytes: number;
  /** The layers at the shapes of every application, the first's above included. */
  applications: { id: string; layers: readonly LayerCost[] }[];
}

export interface StepCost {
  networks: NetworkCost[];
  parameters: number;
  /** The forward passes of every network application in a step. */
  multiplyAdds: number;
  /** The outputs of every layer of every application in a step, one forward pass each. */
  activationBytes: number;
}

/** Multiply-adds of one weight: its values at each position it is applied (see the header). */
function weightMultiplyAdds(
  weight: WeightSpec,
  input: Shape | undefined,
  output: Shape | undefined,
) {
  switch (weight.torchLayout) {
    case 'conv2d':
    case 'dense':
      return positionsIn(output) * valuesIn(weight.shape);
    case 'convTranspose2d':
      return positionsIn(input) * valuesIn(weight.shape);
    case 'same':
      return 0;
  }
}

// The shapes of an application are made once and never changed, so its costs are too: the
// inference's parameter count and the step's estimate read the same ones.
const costsOfApplication = new WeakMap<BodyShapes, readonly LayerCost[]>();

/** What each layer of a network costs, at one application's shapes; layers without shapes are left out. */
export function layerCosts(network: ResolvedNetwork, body: BodyShapes): readonly LayerCost[] {
  let costs = costsOfApplication.get(body);
  if (!costs) {
    costs = countLayers(network, body);
    costsOfApplication.set(body, costs);
  }
  return costs;
}

function countLayers(network: ResolvedNetwork, body: BodyShapes): LayerCost[] {
  const costs: LayerCost[] = [];
  for (const layer of network.body.nodes) {
    const shapes = body.nodes.get(layer.id);
    if (!shapes || layer.kind.behavior !== 'layer') continue;
    const weights = layer.kind.weights?.(shapes.inputs, layer.params) ?? [];
    const outputs = Object.values(shapes.outputs);
    const input = Object.values(shapes.inputs)[0];
    costs.push({
      layer: { id: layer.id, kind: layer.kind.kind, path: layer.path },
      weights,
      outputs,
      parameters: weights.reduce((n, w) => n + (w.trainable ? valuesIn(w.shape) : 0), 0),
      multiplyAdds: weights.reduce((n, w) => n + weightMultiplyAdds(w, input, outputs[0]), 0),
      activationBytes: outputs.reduce((n, s) => n + valuesIn(s) * BYTES_PER_VALUE, 0),
    });
  }
  return costs;
}

function sum(
  costs: readonly LayerCost[],
  key: 'parameters' | 'multiplyAdds' | 'activationBytes',
): number {
  let n = 0;
  for (const c of costs) n += c[key];
  return n;
}

/** A network's trainable values, at one application's shapes. */
export const parametersOf = (network: ResolvedNetwork, body: BodyShapes) =>
  sum(layerCosts(network, body), 'parameters');

/** Each network's costs at its first application, and a step's over all applications. */
export function stepCosts(graph: ResolvedGraph, inference: Inference): StepCost {
  const networks: NetworkCost[] = [];
  let multiplyAdds = 0;
  let activationBytes = 0;
  for (const network of graph.networks) {
    const applications = [...(inference.networks.get(network.id)?.applications ?? [])].map(
      ([id, body]) => ({ id, layers: layerCosts(network, body) }),
    );
    for (const { layers } of applications) {
      multiplyAdds += sum(layers, 'multiplyAdds');
      activationBytes += sum(layers, 'activationBytes');
    }
    const first = applications[0];
    if (!first) continue;
    networks.push({
      id: network.id,
      application: first.id,
      layers: first.layers,
      parameters: sum(first.layers, 'parameters'),
      multiplyAdds: sum(first.layers, 'multiplyAdds'),
      activationBytes: sum(first.layers, 'activationBytes'),
      applications,
    });
  }
  return {
    networks,
    parameters: networks.reduce((n, c) => n + c.parameters, 0),
    multiplyAdds,
    activationBytes,
  };
}

/** Multiply-adds as a person reads them: 56.8 G, 1.2 M, 640. */
export function formatMultiplyAdds(n: number): string {
  const [scale, unit] =
    n >= 1e12
      ? [1e12, 'T']
      : n >= 1e9
        ? [1e9, 'G']
        : n >= 1e6
          ? [1e6, 'M']
          : n >= 1e3
            ? [1e3, 'k']
            : [1, ''];
  return `${Number((n / scale).toPrecision(3))}${unit ? ` ${unit}` : ''}`;
}
