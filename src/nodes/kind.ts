/**
 * The contract every node kind fulfils. A node kind is declared in one file under src/nodes:
 * its ports, its params (a zod schema with defaults), its shape rule and, for kinds that compute,
 * how it builds tfjs ops. The palette, the inspector forms, the connection rules, shape inference
 * and the compiler all read these declarations.
 *
 * Nothing here imports tfjs at run time: `apply` receives the tf namespace, so the editor's page
 * thread, which only needs ports, params and shapes, never loads tfjs.
 */
import type { z } from 'zod';
import type * as tfTypes from '@tensorflow/tfjs';
import type { GraphBuilder } from './graphDef';

export type TF = typeof tfTypes;
export type Tensor = tfTypes.Tensor;
export type Variable = tfTypes.Variable;

/** What flows along an edge. A `feature` input accepts images and noise too. */
export type PortType = 'image' | 'feature' | 'noise' | 'loss';

export interface PortSpec {
  name: string;
  type: PortType;
  optional?: boolean;
  /** Accepts several edges (an optimizer's losses), summed. */
  multiple?: boolean;
  description?: string;
}

/** Tensor shapes are concrete after variables are resolved: NHWC for images, [N, D] for vectors. */
export type Shape = readonly number[];

/** Where a node may be placed: inside a network's body, or in the training graph. */
export type Scope = 'network' | 'graph';

export type Category = 'layers' | 'networks' | 'data' | 'losses' | 'training';

/**
 * Kinds whose behaviour the runtime provides rather than a local `apply`: data sources, network
 * applications, the image pool (state across steps), optimizers and previews (sinks), and the
 * boundary of a network body.
 */
/** Which player of the game a network is; a Loss's `role` names the player its term trains. */
export type NetworkRole = 'generator' | 'discriminator';

export type Behavior =
  | 'layer'
  | 'loss'
  | 'dataset'
  | 'noise'
  | 'network'
  | 'pool'
  | 'optimizer'
  | 'preview'
  | 'input'
  | 'output';

/** A shape rule's complaint, pinned to the input port it is about when there is one. */
export class ShapeError extends Error {
  constructor(
    message: string,
    readonly port?: string,
  ) {
    super(message);
  }
}

/**
 * A weight of a layer. `name` follows the reference implementation's state_dict naming inside
 * the layer (`weight`, `bias`, `conv_block.1.weight`), so that `<network>.<layer id>.<name>` is
 * the reference's parameter name. Shapes are tfjs layouts; `torchLayout` says how a PyTorch
 * tensor maps onto them.
 */
export interface WeightSpec {
  name: string;
  shape: number[];
  init: 'normal' | 'zeros' | 'ones';
  /** Running statistics (batch norm) are state, not trained. */
  trainable: boolean;
  torchLayout: 'conv2d' | 'convTranspose2d' | 'dense' | 'same';
}

/** A network applied to an input shape, in shapes. */
export interface AppliedNetworkShapes {
  output: Shape;
  /** Layer id -> the shape of its output in this application (what a tap of it gives). */
  layers: ReadonlyMap<string, Shape>;
}

export interface ShapeContext {
  /** Applies a network to an input shape (and records the body's shapes for this application). */
  applyNetwork(networkId: string, input: Shape): AppliedNetworkShapes;
}

export interface ApplyContext {
  training: boolean;
  /** A seed for ops that draw random numbers (dropout), fresh for every call, reproducible. */
  seed(): number;
  /** Writes a non-trainable variable of this layer (batch norm's running statistics). */
  updateState(name: string, value: Tensor): void;
  /**
   * Applies a network of the graph to a tensor, inside whatever gradient is being taken: what a
   * term that differentiates through a network needs (the gradient penalty). Given to the
   * training graph's loss terms only.
   */
  applyNetwork?(networkId: string, input: Tensor): Tensor;
}

/**
 * The shapes a layer saw when its network was compiled. An exported graph leaves the batch size
 * free, so `exportGraph` may rely on every axis but the first.
 */
export interface LayerShapes {
  inputs: Readonly<Record<string, Shape>>;
  outputs: Readonly<Record<string, Shape>>;
}

/**
 * One step of a kind's params from one version to the next, after tldraw's record migrations.
 * A kind's params start at version 0; its `migrations`, oldest first, bring them to version
 * `migrations.length`. The id names the kind and the version the step leads to
 * (`Conv/1-kernel-as-pair`) and never changes once released.
 */
export interface ParamsMigration {
  id: `${string}/${number}-${string}`;
  up(params: Record<string, unknown>): Record<string, unknown>;
}

export interface NodeKind<
  S extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>,
> {
  kind: string;
  category: Category;
  behavior: Behavior;
  /**
   * A node that applies a network (an application, a gradient penalty's critic): the role of the
   * networks it may apply.
   */
  appliesRole?: NetworkRole;
  /**
   * The params that name networks of the graph, each holding one network id or a list of them
   * (an application's network, an optimizer's networks). What checks, renames, copy and paste
   * and the inspector's pickers read, rather than knowing param names.
   */
  networkParams?: readonly (keyof z.infer<S> & string)[];
  description: string;
  scopes: readonly Scope[];
  params: S;
  /**
   * The params that mean something given the others (a Loss's `type`: an L1 loss has no margin),
   * read from params as written with expressions evaluated and defaults not filled in; the
   * inspector shows these. Absent: every param always applies.
   */
  paramsThatApply?(params: Readonly<Record<string, unknown>>): readonly string[];
  /** How params written by earlier versions of this kind are brought up to date. */
  migrations?: readonly ParamsMigration[];
  inputs(params: z.infer<S>): PortSpec[];
  outputs(params: z.infer<S>): PortSpec[];
  /**
   * Output shapes from input shapes. Inputs that are not connected are absent. Throws
   * ShapeError quoting the values received when the inputs do not fit.
   */
  inferShapes(
    inputs: Readonly<Record<string, Shape>>,
    params: z.infer<S>,
    context: ShapeContext,
  ): Record<string, Shape>;
  weights?(inputs: Readonly<Record<string, Shape>>, params: z.infer<S>): WeightSpec[];
  apply?(
    tf: TF,
    inputs: Readonly<Record<string, Tensor>>,
    weights: Readonly<Record<string, Tensor>>,
    params: z.infer<S>,
    context: ApplyContext,
  ): Record<string, Tensor>;
  /**
   * The layer as TensorFlow GraphDef ops, for a graph model that plain TensorFlow.js runs
   * (`tf.loadGraphModel`): what `apply` computes with `training` false. Receives the names of the
   * tensors on its input ports and of the constants holding its weights (by local name), and
   * returns the names of the tensors on its output ports. Every kind of behavior 'layer' has one, so
   * that any network can be exported.
   */
  exportGraph?(
    graph: GraphBuilder,
    inputs: Readonly<Record<string, string>>,
    weights: Readonly<Record<string, string>>,
    params: z.infer<S>,
    shapes: LayerShapes,
  ): Record<string, string>;
}

/** Declares a node kind with its params type inferred from the schema. */
export function defineNodeKind<S extends z.ZodType<Record<string, unknown>>>(
  kind: NodeKind<S>,
): NodeKind<S> {
  return kind;
}

// The registry holds kinds of every params type; each kind only ever sees its own params.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeKind = NodeKind<any>;

/**
 * A resolved node's params, typed by its kind's schema. Resolving checked them against that
 * schema (defaults filled in), so the type is known: this is the one place that says so. Takes a
 * resolved graph's node (its kind an object) or a program's (its kind a name).
 */
export function paramsOf<S extends z.ZodType<Record<string, unknown>>>(
  kind: NodeKind<S>,
  node: { kind: string | { kind: string }; params: Readonly<Record<string, unknown>> },
): z.infer<S> {
  const name = typeof node.kind === 'string' ? node.kind : node.kind.kind;
  if (name !== kind.kind) throw new Error(`a ${name} node was read as a ${kind.kind} node`);
  return node.params as z.infer<S>;
}
