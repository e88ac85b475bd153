/**
 * What a graph will ask of the device, estimated from its inferred shapes before anything is
 * allocated: each network's parameters and a training step's peak memory. The check refuses a
 * graph over the limits with the figure and the limit, at the place that causes it, so that Run
 * never allocates until a RangeError.
 *
 * The model is deliberately simple, in float32 (4 bytes a value), and counts:
 * - weights: every weight of every network applied (trainable or running statistics), and the
 *   state of training-graph nodes;
 * - optimizer slots: per trainable weight an optimizer updates, Adam 2, RMSprop 1, SGD 0;
 * - gradients: one per trainable weight of the optimizer with the most (optimizers update one
 *   after the other, and each frees its gradients before the next);
 * - activations kept for the backward pass: the output of every layer of every network
 *   application computed in a step, and every training-graph node's outputs, each counted
 *   ACTIVATION_FACTOR times (a layer's own temporaries: a norm's moments, padding's slices, the
 *   gradient flowing back through it);
 * - image pools: pool size × one image;
 * - the batch: what the data and noise nodes hand in (among the training-graph outputs).
 * Measured against tfjs's own count on the cpu backend (test/runtime/budget.test.ts).
 */
import { formatShape } from '../nodes/shapeRules';
import type { Shape } from '../nodes/kind';
import { OptimizerNode } from '../nodes/Optimizer';
import { paramsOf } from '../nodes/kind';
import type { Inference } from './inference';
import { formatPath, type Problem } from './problems';
import type { ResolvedGraph } from './resolve';
import { BYTES_PER_VALUE, stepCosts, valuesIn, type CostedLayer, type StepCost } from './costs';

const MiB = 2 ** 20;
export const GiB = 2 ** 30;

/**
 * How many times its output's size a layer holds at a step's peak. tfjs keeps every tensor made
 * inside `variableGrads` (a layer's output and the temporaries of its ops: a norm's moments,
 * padding's slices) until the backward pass ends, and the gradient of each of them too: about
 * four tensors of the output's size per layer, doubled. Fitted to tfjs's peak on the cpu backend
 * for the CycleGAN template at 32×32 and 64×64 (8.8 and 8.1 measured).
 */
export const ACTIVATION_FACTOR = 8;

/** What the device allows. The worker passes the adapter's own limits; the defaults are WebGPU's. */
export interface DeviceLimits {
  /** Bytes one training step may hold at its peak (the user's budget, raisable in the settings). */
  memoryBytes: number;
  /** WebGPU's `maxBufferSize`: the largest buffer, so the largest tensor. */
  maxBufferSize: number;
  /** WebGPU's `maxStorageBufferBindingSize`: the largest tensor a kernel can read or write. */
  maxStorageBufferBindingSize: number;
  /** Where the user raises the budget, as the refusal tells them. */
  raise: string;
}

/**
 * 16 GiB: a desktop GPU's memory. The reference CycleGAN at 256×256 (ngf 64, 9 blocks) needs
 * about 11.5 GiB by this estimate and fits; a graph that needs more is refused until the user
 * raises the budget.
 */
export const DEFAULT_MEMORY_BUDGET = 16 * GiB;

/** WebGPU's required defaults (256 MiB and 128 MiB), what every adapter offers at least. */
export const DEFAULT_DEVICE_LIMITS: DeviceLimits = {
  memoryBytes: DEFAULT_MEMORY_BUDGET,
  maxBufferSize: 256 * MiB,
  maxStorageBufferBindingSize: 128 * MiB,
  raise: 'raise the memory budget in the training settings',
};

/** Which slots an optimizer keeps per trainable weight. */
const SLOTS_PER_WEIGHT = { adam: 2, rmsprop: 1, sgd: 0 } as const;

export interface NetworkEstimate {
  id: string;
  /** Trainable values. */
  parameters: number;
  /** Bytes of its weights, its optimizer slots and the activations of its applications. */
  bytes: number;
}

/** The largest single tensor of a step, and where it is made. */
export interface LargestTensor {
  bytes: number;
  shape: Shape;
  /** `G_A.model.1 output`, `data.real_A`. */
  what: string;
  place: Pick<Problem, 'path' | 'networkId' | 'nodeId'>;
}

export interface StepEstimate {
  networks: NetworkEstimate[];
  /** Bytes at a step's peak, by what holds them; `total` is their sum. */
  weights: number;
  optimizerSlots: number;
  gradients: number;
  activations: number;
  pools: number;
  batch: number;
  total: number;
  largestTensor?: LargestTensor;
  /** What each layer of each network costs (see costs.ts), from which the figures above count. */
  costs: StepCost;
}

const count = valuesIn;

/** Estimates a training step of a graph whose shapes were inferred; parts that failed count 0. */
export function estimateStep(graph: ResolvedGraph, inference: Inference): StepEstimate {
  let largest: LargestTensor | undefined;
  // A tensor is named only when it is the largest so far: a body of 10,000 layers would
  // otherwise format 10,000 names and paths for the one that is kept.
  const beats = (shape: Shape) => !largest || count(shape) * BYTES_PER_VALUE > largest.bytes;
  const keep = (shape: Shape, what: string, place: LargestTensor['place']) => {
    largest = { bytes: count(shape) * BYTES_PER_VALUE, shape, what, place };
  };
  const layerPlace = (networkId: string, layer: CostedLayer) => ({
    path: formatPath(layer.path),
    networkId,
    nodeId: layer.id,
  });

  const costs = stepCosts(graph, inference);
  const trainableOf = new Map<string, number>();
  const networks: NetworkEstimate[] = [];
  let weights = 0;
  let activations = 0;
  for (const network of graph.networks) {
    const cost = costs.networks.find((c) => c.id === network.id);
    let bytes = 0;
    for (const { layer, weights: specs } of cost?.layers ?? []) {
      for (const w of specs) {
        bytes += count(w.shape) * BYTES_PER_VALUE;
        if (beats(w.shape)) {
          keep(w.shape, `${network.id}.${layer.id}.${w.name}`, layerPlace(network.id, layer));
        }
      }
    }
    weights += bytes;
    for (const { layers } of cost?.applications ?? []) {
      for (const { layer, outputs } of layers) {
        for (const shape of outputs) {
          const kept = count(shape) * BYTES_PER_VALUE * ACTIVATION_FACTOR;
          bytes += kept;
          activations += kept;
          if (beats(shape)) {
            keep(shape, `${network.id}.${layer.id} output`, layerPlace(network.id, layer));
          }
        }
      }
    }
    const parameters = cost?.parameters ?? 0;
    trainableOf.set(network.id, parameters);
    networks.push({ id: network.id, parameters, bytes });
  }

  let optimizerSlots = 0;
  let gradients = 0;
  for (const node of graph.nodes) {
    if (node.kind !== OptimizerNode) continue;
    const p = paramsOf(OptimizerNode, node);
    let updated = 0;
    for (const id of p.networks) {
      const values = trainableOf.get(id) ?? 0;
      updated += values;
      const slots = values * SLOTS_PER_WEIGHT[p.type] * BYTES_PER_VALUE;
      optimizerSlots += slots;
      const estimate = networks.find((n) => n.id === id);
      if (estimate) estimate.bytes += slots;
    }
    gradients = Math.max(gradients, updated * BYTES_PER_VALUE);
  }

  let pools = 0;
  let batch = 0;
  for (const node of graph.nodes) {
    const shapes = inference.nodes.get(node.id);
    if (!shapes) continue;
    for (const spec of node.kind.weights?.({}, node.params) ?? []) {
      weights += count(spec.shape) * BYTES_PER_VALUE;
    }
    for (const [port, shape] of Object.entries(shapes.outputs)) {
      const bytes = count(shape) * BYTES_PER_VALUE;
      if (node.kind.behavior === 'dataset' || node.kind.behavior === 'noise') batch += bytes;
      else activations += bytes * ACTIVATION_FACTOR;
      if (beats(shape)) {
        keep(shape, `${node.id}.${port}`, { path: formatPath(node.path), nodeId: node.id });
      }
    }
    const poolSize = node.kind.behavior === 'pool' ? node.params.size : undefined;
    const image = shapes.outputs.out;
    if (typeof poolSize === 'number' && image) {
      pools += poolSize * (count(image) / (image[0] ?? 1)) * BYTES_PER_VALUE;
    }
  }

  const total = weights + optimizerSlots + gradients + activations + pools + batch;
  return {
    networks,
    weights,
    optimizerSlots,
    gradients,
    activations,
    pools,
    batch,
    total,
    ...(largest ? { largestTensor: largest } : {}),
    costs,
  };
}

/** Bytes as a person reads them: 192 GiB, 35.2 MiB, 512 B. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${units[unit]}`;
}

/** A count of values as a person reads it: 11.4 million, 2.1 billion, 3,200. */
export function formatCount(n: number): string {
  if (n < 1e6) return n.toLocaleString('en-US');
  const [scale, word] =
    n >= 1e12 ? [1e12, 'trillion'] : n >= 1e9 ? [1e9, 'billion'] : [1e6, 'million'];
  return `${Number((n / scale).toPrecision(3))} ${word}`;
}

/**
 * A step's memory against the budget, as the network panel and the Run area say it: "a training
 * step needs about 11.5 GiB of 16 GiB".
 */
export function describeStepMemory(
  estimate: StepEstimate,
  limits: DeviceLimits = DEFAULT_DEVICE_LIMITS,
): string {
  return `a training step needs about ${formatBytes(estimate.total)} of ${formatBytes(limits.memoryBytes)}`;
}

/**
 * The problems of a graph that would not fit the device: the whole step over the memory budget
 * (at the network, or training-graph node, that holds the most), and a tensor larger than one
 * buffer may be (at the layer or node that makes it).
 */
export function budgetProblems(
  graph: ResolvedGraph,
  estimate: StepEstimate,
  limits: DeviceLimits = DEFAULT_DEVICE_LIMITS,
): Problem[] {
  const problems: Problem[] = [];
  if (estimate.total > limits.memoryBytes) {
    problems.push({
      ...placeOfLargestShare(graph, estimate),
      code: 'budget',
      message: `a training step needs about ${formatBytes(estimate.total)}; the limit is ${formatBytes(limits.memoryBytes)} (${limits.raise})`,
    });
  }
  const tensorLimit = Math.min(limits.maxBufferSize, limits.maxStorageBufferBindingSize);
  const largest = estimate.largestTensor;
  if (largest && largest.bytes > tensorLimit) {
    problems.push({
      ...largest.place,
      code: 'budget',
      message: `${largest.what} is ${formatShape(largest.shape)}, about ${formatBytes(largest.bytes)} in one tensor; the device holds at most ${formatBytes(tensorLimit)} in one buffer`,
    });
  }
  return problems;
}

/** The network holding the most of a step; the data when what it hands in weighs more. */
function placeOfLargestShare(
  graph: ResolvedGraph,
  estimate: StepEstimate,
): Pick<Problem, 'path' | 'networkId' | 'nodeId'> {
  const heaviest = estimate.networks.reduce<NetworkEstimate | undefined>(
    (a, b) => (!a || b.bytes > a.bytes ? b : a),
    undefined,
  );
  const data = graph.nodes.find(
    (n) => n.kind.behavior === 'dataset' || n.kind.behavior === 'noise',
  );
  if (data && (!heaviest || estimate.batch + estimate.pools > heaviest.bytes)) {
    return { path: formatPath(data.path), nodeId: data.id };
  }
  const network = heaviest && graph.networks.find((n) => n.id === heaviest.id);
  return network ? { path: formatPath(network.path), networkId: network.id } : { path: '$' };
}
