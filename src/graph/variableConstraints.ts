/**
 * What the networks ask of the graph variables, derived from their layers and said at the
 * variable: an image-to-image generator gives back its input's size only when every stride-2
 * layer divides what it receives (a size divisible by 4 for two of them, by 256 for a U-Net-256),
 * and a network needs inputs large enough for its kernels.
 */
import { isNetworkApplication } from '../nodes/networkApplication';
import { isImageShape, passBody, strideOf } from './bodyPass';
import type { GraphDocument } from './document';
import type { Inference } from './inference';
import { edgesAtNodes, edgesInto } from './order';
import type { Problem } from './problems';
import { edgeKey, type ResolvedGraph, type ResolvedNetwork, type ResolvedNode } from './resolve';

/** Far above any image a network here takes: how far the search for a minimum size goes. */
const LARGEST_SIZE_SEARCHED = 4096;

/** The variables a training-graph param is written as, whole (`"=size"`). */
function variablesWrittenWhole(document: GraphDocument): Set<string> {
  const names = new Set<string>();
  for (const node of document.nodes) {
    for (const value of Object.values(node.params ?? {})) {
      const name = typeof value === 'string' ? /^=\s*([A-Za-z_]\w*)\s*$/.exec(value)?.[1] : null;
      if (name) names.add(name);
    }
  }
  return names;
}

/** The layers that downsample by a stride (transposed convolutions upsample by theirs). */
function downsamplings(network: ResolvedNetwork): { node: ResolvedNode; stride: number }[] {
  return network.body.nodes.flatMap((node) => {
    const stride = strideOf(node.params);
    return stride !== undefined && stride > 1 && node.params.transposed !== true
      ? [{ node, stride }]
      : [];
  });
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** "downsamples by 4 (model.4, model.7 stride 2)", said of `network` and of those like it. */
function describeDownsampling(network: ResolvedNetwork, factor: number, several: boolean): string {
  const downs = downsamplings(network);
  const strides = new Set(downs.map((d) => d.stride));
  const layers =
    strides.size !== 1
      ? downs.map((d) => `${d.node.id} stride ${d.stride}`).join(', ')
      : downs.length > 3
        ? `${downs.length} layers of stride ${downs[0]!.stride}, ${downs[0]!.node.id} to ${downs.at(-1)!.node.id}`
        : `${downs.map((d) => d.node.id).join(', ')} stride ${downs[0]!.stride}`;
  return `${several ? 'downsample' : 'downsamples'} by ${factor} (${layers})`;
}

interface Divisor {
  networks: ResolvedNetwork[];
  factor: number;
}

/** "G_A", "G_A and G_B", "G_A, G_B and U". */
function listed(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function divisibilityProblem(name: string, value: number, divisors: readonly Divisor[]): Problem {
  const multiple = divisors.reduce((m, d) => (m * d.factor) / gcd(m, d.factor), 1);
  const reasons = divisors.map(
    (d) =>
      `${listed(d.networks.map((n) => n.id))} ${describeDownsampling(d.networks[0]!, d.factor, d.networks.length > 1)}`,
  );
  const below = Math.floor(value / multiple) * multiple;
  const above = Math.ceil(value / multiple) * multiple;
  const tries = below > 0 ? `${below} or ${above}` : String(above);
  return {
    path: `variables.${name}`,
    variable: name,
    code: 'variable-constraint',
    message: `${name}=${value}: ${reasons.join('; ')}, so ${name} must be a multiple of ${multiple}: try ${tries}`,
  };
}

/** The smallest square size above `from`, a multiple of `step`, that the network takes. */
function smallestTaken(
  network: ResolvedNetwork,
  input: readonly number[],
  from: number,
  step: number,
): number | undefined {
  for (
    let size = (Math.floor(from / step) + 1) * step;
    size <= LARGEST_SIZE_SEARCHED;
    size += step
  ) {
    if (passBody(network.body, [input[0]!, size, size, input[3]!]).output) return size;
  }
  return undefined;
}

/**
 * Problems at the graph variables the networks' inputs are sized by: a size a generator's
 * downsamplings do not divide, or one smaller than a network takes.
 */
export function variableConstraintProblems(
  document: GraphDocument,
  graph: ResolvedGraph,
  inference: Inference,
): Problem[] {
  const written = variablesWrittenWhole(document);
  const sized = Object.entries(graph.variables).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number' && written.has(entry[0]),
  );
  if (sized.length === 0) return [];
  const networks = new Map(graph.networks.map((n) => [n.id, n]));
  const at = edgesAtNodes(graph.edges);
  const divisors = new Map<string, Map<ResolvedNetwork, number>>();
  const minimums = new Map<string, Problem>();
  for (const app of graph.nodes) {
    if (!isNetworkApplication(app.kind)) continue;
    const network = networks.get(String(app.params.network));
    // From the edge: an application whose network refused its input has no shapes recorded.
    const edge = edgesInto(at, app.id).find((e) => e.targetPort === 'in');
    const input = edge && inference.edges.get(edgeKey(edge));
    if (!network || network.unresolved || !isImageShape(input) || input[1] !== input[2]) continue;
    const size = input[1]!;
    for (const [name, value] of sized) {
      if (value !== size) continue;
      const shapes = inference.networks.get(network.id)?.applications.get(app.id);
      // A generator gives back its input's size only when its downsamplings divide it.
      const factor =
        network.role === 'generator' ? downsamplings(network).reduce((m, d) => m * d.stride, 1) : 1;
      if (isImageShape(shapes?.output)) {
        if (factor > 1 && size % factor !== 0) {
          const found = divisors.get(name) ?? new Map<ResolvedNetwork, number>();
          found.set(network, factor);
          divisors.set(name, found);
        }
      }
      const failure = shapes ? undefined : passBody(network.body, input).failure;
      if (!failure || minimums.has(name)) continue;
      const least = smallestTaken(network, input, size, factor);
      const multiple =
        factor > 1
          ? `; it ${describeDownsampling(network, factor, false)}, so ${name} must be a multiple of ${factor}`
          : '';
      minimums.set(name, {
        path: `variables.${name}`,
        variable: name,
        code: 'variable-constraint',
        message:
          `${name}=${value}: ${network.id} cannot take ${size}×${size} (${failure.node.id}: ${failure.message})${multiple}` +
          (least ? `${multiple ? ' and' : ', so it must be'} at least ${least}` : ''),
      });
    }
  }
  const problems = [...minimums.values()];
  for (const [name, found] of divisors) {
    if (minimums.has(name)) continue;
    const byFactor = new Map<number, ResolvedNetwork[]>();
    for (const [network, factor] of found) {
      byFactor.set(factor, [...(byFactor.get(factor) ?? []), network]);
    }
    const value = graph.variables[name] as number;
    problems.push(
      divisibilityProblem(
        name,
        value,
        [...byFactor].map(([factor, nets]) => ({ factor, networks: nets })),
      ),
    );
  }
  return problems;
}
