/**
 * A TensorFlow GraphDef in the JSON form that tfjs-converter writes into a graph model's
 * model.json and that `tf.loadGraphModel` reads back: node kinds describe their layer with these
 * ops (`exportGraph`), so that a network runs in plain TensorFlow.js, outside Ganvas.
 *
 * No tfjs here: the builder only records nodes and constant values.
 *
 * How tfjs-converter 4.22 reads attributes (operations/operation_mapper.js): strings are base64
 * in `s` and lower-cased; integers are decimal strings in `i`; floats are JSON numbers in `f` (a
 * string would go through parseInt); lists are `{list: {i: [...]}}`; types are `{type:
 * "DT_FLOAT"}`. A Const node takes its value from the weights manifest entry of its name.
 */

export type GraphDataType = 'DT_FLOAT' | 'DT_INT32';

export interface GraphTensorShape {
  dim: { size: string }[];
}

export type GraphAttr =
  | { s: string }
  | { i: string }
  | { f: number }
  | { b: boolean }
  | { type: GraphDataType }
  | { list: { i: string[] } }
  | { shape: GraphTensorShape }
  | { tensor: { dtype: GraphDataType; tensorShape: GraphTensorShape } };

export interface GraphNode {
  name: string;
  op: string;
  input: string[];
  attr: Record<string, GraphAttr>;
}

/** A Const node's value: it travels in the weights file, not in the graph. */
export interface GraphConstant {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  values: Float32Array | Int32Array;
}

/** A shape in GraphDef form; -1 is a size left free (the batch). */
export function tensorShape(shape: readonly number[]): GraphTensorShape {
  return { dim: shape.map((size) => ({ size: String(size) })) };
}

export const attr = {
  string: (value: string): GraphAttr => ({ s: btoa(value) }),
  int: (value: number): GraphAttr => ({ i: String(value) }),
  float: (value: number): GraphAttr => ({ f: value }),
  bool: (value: boolean): GraphAttr => ({ b: value }),
  ints: (values: readonly number[]): GraphAttr => ({ list: { i: values.map(String) } }),
  type: (value: GraphDataType): GraphAttr => ({ type: value }),
  shape: (shape: readonly number[]): GraphAttr => ({ shape: tensorShape(shape) }),
};

/** Collects the nodes and constants of one graph, naming each node after the layer it serves. */
export class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly constants: GraphConstant[] = [];
  /** Prefix of the names of the nodes being added: the id of the layer being exported. */
  scope = '';
  private readonly names = new Set<string>();

  private uniqueName(op: string): string {
    const base = this.scope ? `${this.scope}/${op}` : op;
    let name = base;
    for (let k = 1; this.names.has(name); k++) name = `${base}_${k}`;
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`graph export: node "${name}" is defined twice`);
    this.names.add(name);
    return name;
  }

  /** Adds an op and returns the name of its (first) output tensor. */
  op(op: string, inputs: readonly string[], attrs: Record<string, GraphAttr> = {}): string {
    const name = this.uniqueName(op);
    this.nodes.push({ name, op, input: [...inputs], attr: attrs });
    return name;
  }

  /** An op with a name chosen by the caller (the graph's output). */
  namedOp(
    name: string,
    op: string,
    inputs: readonly string[],
    attrs: Record<string, GraphAttr> = {},
  ): string {
    this.nodes.push({ name: this.claim(name), op, input: [...inputs], attr: attrs });
    return name;
  }

  /** The graph's input: a float tensor of this shape, -1 where any size is accepted. */
  placeholder(name: string, shape: readonly number[]): string {
    return this.namedOp(name, 'Placeholder', [], {
      dtype: attr.type('DT_FLOAT'),
      shape: attr.shape(shape),
    });
  }

  private constant(
    name: string,
    dtype: GraphConstant['dtype'],
    shape: readonly number[],
    values: Float32Array | Int32Array,
  ): string {
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new Error(
        `graph export: constant "${name}" of shape ${shape.join('×')} needs ${size} values, received ${values.length}`,
      );
    }
    const type: GraphDataType = dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32';
    this.nodes.push({
      name,
      op: 'Const',
      input: [],
      attr: {
        dtype: attr.type(type),
        value: { tensor: { dtype: type, tensorShape: tensorShape(shape) } },
      },
    });
    this.constants.push({ name, dtype, shape: [...shape], values });
    return name;
  }

  /** A layer's weight, under its full name (`G_A.model.1.weight`). */
  weight(name: string, shape: readonly number[], values: Float32Array): string {
    return this.constant(this.claim(name), 'float32', shape, values);
  }

  /** A float constant; a scalar without a shape. */
  floatConst(values: readonly number[], shape: readonly number[] = []): string {
    const name = this.uniqueName('Const');
    return this.constant(name, 'float32', shape, Float32Array.from(values));
  }

  /** An int32 constant (shapes, axes, paddings); a vector unless a shape is given. */
  intConst(values: readonly number[], shape: readonly number[] = [values.length]): string {
    const name = this.uniqueName('Const');
    return this.constant(name, 'int32', shape, Int32Array.from(values));
  }

  /** An int32 vector [N, ...rest], N being the batch size of `like` when the graph runs. */
  batchShape(like: string, rest: readonly number[]): string {
    const shape = this.op('Shape', [like], { out_type: attr.type('DT_INT32') });
    const batch = this.op('Slice', [shape, this.intConst([0]), this.intConst([1])]);
    return this.op('ConcatV2', [batch, this.intConst(rest), this.intConst([0], [])], {
      N: attr.int(2),
    });
  }
}
