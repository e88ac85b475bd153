/**
 * Shapes that disagree, said at their cause. When an image-to-image generator's output no longer
 * has its input's size or channels, the losses downstream are where the shapes collide, but the
 * cause is a layer inside the network: this names the application, the network and the layer,
 * in the names on screen (`G_A · model.4 (stride 1) makes 64×64 from 32×32; fake_B must be
 * 32×32 like real_A`).
 */
import type { Shape } from '../nodes/kind';
import { isNetworkApplication } from '../nodes/networkApplication';
import { formatSize, isImageShape, passBody, strideOf, type LayerShapes } from './bodyPass';
import type { Inference } from './inference';
import { edgesAtNodes, edgesInto, type EdgesAtNodes } from './order';
import { formatPath, type Problem } from './problems';
import type { GraphDocument } from './document';
import type { ResolvedEdge, ResolvedGraph, ResolvedNetwork, ResolvedNode } from './resolve';
import { variableConstraintProblems } from './variableConstraints';

/** The nodes of the training graph from which data reaches one of `targets`, these included. */
function upstreamOf(at: EdgesAtNodes<ResolvedEdge>, targets: Iterable<string>): Set<string> {
  const found = new Set<string>();
  const queue = [...targets];
  while (queue.length) {
    const next = queue.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    for (const e of edgesInto(at, next)) queue.push(e.source);
  }
  return found;
}

/** What the application's input is called on screen: the port of a node with several, else the node. */
function inputName(
  graph: ResolvedGraph,
  at: EdgesAtNodes<ResolvedEdge>,
  app: ResolvedNode,
): string {
  const edge = edgesInto(at, app.id).find((e) => e.targetPort === 'in');
  if (!edge) return 'its input';
  const source = graph.nodes.find((n) => n.id === edge.source);
  return source && source.outputs.length > 1 ? edge.sourcePort : edge.source;
}

/** Layers built alike (kind, kernel, padding, direction), whose strides may be compared. */
function builtAlike(a: ResolvedNode, b: ResolvedNode): boolean {
  return (
    a !== b &&
    a.kind === b.kind &&
    a.params.kernel === b.params.kernel &&
    a.params.padding === b.params.padding &&
    a.params.transposed === b.params.transposed
  );
}

/**
 * The layer whose stride, flipped between 1 and 2, gives the output the input's H×W. Often more
 * than one would (a 7×7 stem at stride 2 undoes a lost downsampling too): the likeliest cause is
 * the layer that, flipped, takes the stride of the layers built like it, as an edit that broke a
 * pattern would; the earliest among equals.
 */
function strideCause(
  network: ResolvedNetwork,
  input: Shape,
  layers: readonly LayerShapes[],
): { layer: LayerShapes; stride: number; fixed: number } | undefined {
  let best: { layer: LayerShapes; stride: number; fixed: number; score: number } | undefined;
  for (const layer of layers) {
    const stride = strideOf(layer.node.params);
    if (stride === undefined) continue;
    const fixed = stride === 1 ? 2 : 1;
    const tried = passBody(network.body, input, (node) =>
      node === layer.node ? { ...node.params, stride: fixed } : node.params,
    );
    if (!tried.output || tried.output[1] !== input[1] || tried.output[2] !== input[2]) continue;
    const alike = network.body.nodes.filter((n) => builtAlike(n, layer.node));
    const score =
      alike.filter((n) => strideOf(n.params) === fixed).length -
      alike.filter((n) => strideOf(n.params) === stride).length;
    if (!best || score > best.score) best = { layer, stride, fixed, score };
  }
  return best;
}

/** The first strided layer whose stride does not divide what it receives: it rounds. */
export function roundingLayer(layers: readonly LayerShapes[]): LayerShapes | undefined {
  return layers.find(({ node, input }) => {
    const stride = strideOf(node.params);
    return (
      stride !== undefined && stride > 1 && (input[1]! % stride !== 0 || input[2]! % stride !== 0)
    );
  });
}

function layerPath(network: ResolvedNetwork, layer: ResolvedNode, param?: string): string {
  return formatPath(network.preset || !param ? layer.path : [...layer.path, 'params', param]);
}

/** What made the difference, where it is written, and the change that would undo it. */
interface Cause {
  text: string;
  path: string;
  fix?: string;
  /** A stride that does not divide what it receives: a size the graph variables gave, often. */
  rounding?: boolean;
}

function sizeCause(
  network: ResolvedNetwork,
  input: Shape,
  output: Shape,
  layers: readonly LayerShapes[],
): Cause {
  const made = `makes ${formatSize(output)} from ${formatSize(input)}`;
  const flipped = strideCause(network, input, layers);
  if (flipped) {
    const { layer, stride, fixed } = flipped;
    return {
      text: `${network.id} · ${layer.node.id} (stride ${stride}) ${made}`,
      path: layerPath(network, layer.node, 'stride'),
      fix: `stride ${fixed} at ${layer.node.id} gives that`,
    };
  }
  const rounds = roundingLayer(layers);
  if (rounds) {
    return {
      text: `${network.id} · ${rounds.node.id} (stride ${strideOf(rounds.node.params)}) rounds ${formatSize(rounds.input)} to ${formatSize(rounds.output)}, so ${network.id} ${made}`,
      path: layerPath(network, rounds.node, 'stride'),
      rounding: true,
    };
  }
  const changing = layers.filter((l) => l.input[1] !== l.output[1] || l.input[2] !== l.output[2]);
  return {
    text: `${network.id} ${made} (H×W changes at ${changing.map((l) => l.node.id).join(', ') || 'no layer'})`,
    path: formatPath(network.path),
  };
}

function channelCause(
  network: ResolvedNetwork,
  input: Shape,
  output: Shape,
  layers: readonly LayerShapes[],
): Cause {
  const last = layers.findLast((l) => l.input[3] !== l.output[3]);
  const channels = (n: number) => `${n} channel${n === 1 ? '' : 's'}`;
  const made = `${network.id} makes ${channels(output[3]!)} from ${channels(input[3]!)}`;
  if (!last) return { text: made, path: formatPath(network.path) };
  const filters = last.node.params.filters;
  const setting = typeof filters === 'number' ? ` (filters ${filters})` : '';
  return {
    text: `${network.id} · ${last.node.id}${setting} gives ${channels(last.output[3]!)}, so ${made}`,
    path: layerPath(network, last.node, typeof filters === 'number' ? 'filters' : undefined),
  };
}

/**
 * For each generator application whose output differs from its input in H×W or channels while
 * shapes collide downstream of it, a problem at the application naming the layer that made the
 * difference. Its path is the layer's place in the document.
 */
export function shapeCauseProblems(
  graph: ResolvedGraph,
  inference: Inference,
  sizesExplained = false,
): Problem[] {
  const colliding = inference.problems.flatMap((p) =>
    p.code === 'shape' && !p.networkId && p.nodeId ? [p.nodeId] : [],
  );
  if (colliding.length === 0) return [];
  const at = edgesAtNodes(graph.edges);
  const feedsCollision = upstreamOf(at, colliding);
  const networks = new Map(graph.networks.map((n) => [n.id, n]));
  const problems: Problem[] = [];
  for (const app of graph.nodes) {
    if (!isNetworkApplication(app.kind)) continue;
    const network = networks.get(String(app.params.network));
    if (network?.role !== 'generator') continue;
    const shapes = inference.networks.get(network.id)?.applications.get(app.id);
    const input = shapes?.input;
    const output = shapes?.output;
    if (!isImageShape(input) || !isImageShape(output)) continue;
    const sameSize = input[1] === output[1] && input[2] === output[2];
    if (sameSize && input[3] === output[3]) continue;
    if (!feedsCollision.has(app.id)) continue;
    const { layers } = passBody(network.body, input);
    const like = inputName(graph, at, app);
    const cause = sameSize
      ? channelCause(network, input, output, layers)
      : sizeCause(network, input, output, layers);
    if (cause.rounding && sizesExplained) continue;
    const must = sameSize
      ? `have ${input[3]} channels like ${like}`
      : `be ${formatSize(input)} like ${like}`;
    problems.push({
      path: cause.path,
      nodeId: app.id,
      port: 'out',
      code: 'shape-cause',
      message: `${cause.text}; ${app.id} must ${must}${cause.fix ? ` (${cause.fix})` : ''}`,
    });
  }
  return problems;
}

/**
 * Every problem said at its cause: at the graph variables first, then at the applications. A
 * stride that rounds a size a variable gave is said once, at the variable.
 */
export function causeProblems(
  document: GraphDocument,
  graph: ResolvedGraph,
  inference: Inference,
): Problem[] {
  const atVariables = variableConstraintProblems(document, graph, inference);
  return [...atVariables, ...shapeCauseProblems(graph, inference, atVariables.length > 0)];
}
