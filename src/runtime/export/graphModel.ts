/**
 * Exports one network of a trainer as a TensorFlow.js graph model (the format tfjs-converter
 * writes): model.json holding a TensorFlow GraphDef, its signature and a weights manifest, plus
 * one binary weights file. Plain TensorFlow.js loads it with `tf.loadGraphModel` and computes what
 * `trainer.runNetwork(id, x, false)` computes, for any batch size. Its one input and one output
 * are named "input" and "output".
 */
import { findNodeKind } from '../../nodes';
import {
  GraphBuilder,
  tensorShape,
  type GraphNode,
  type GraphTensorShape,
} from '../../nodes/graphDef';
import type { ShapeContext, Shape } from '../../nodes/kind';
import {
  networkInputShape,
  weightName,
  type ProgramNetwork,
  type TrainingProgram,
} from '../program';
import type { Trainer } from '../trainer';

interface SignatureEntry {
  name: string;
  dtype: 'DT_FLOAT';
  tensorShape: GraphTensorShape;
}

export interface GraphModelWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
}

/** model.json of a graph model, as `tf.io.fromMemory` and `tf.loadGraphModel` take it. */
export interface GraphModelJson {
  format: 'graph-model';
  generatedBy: string;
  convertedBy: string;
  modelTopology: {
    node: GraphNode[];
    library: Record<string, never>;
    versions: Record<string, never>;
  };
  signature: {
    inputs: Record<string, SignatureEntry>;
    outputs: Record<string, SignatureEntry>;
  };
  weightsManifest: { paths: string[]; weights: GraphModelWeightSpec[] }[];
}

export interface ExportedGraphModel {
  modelJson: GraphModelJson;
  /** The weights file's bytes: every constant in manifest order, in the platform's byte order. */
  weights: Uint8Array;
  /** What to write to a folder, or to offer for download, side by side. */
  files: { 'model.json': string; 'weights.bin': Uint8Array };
}

const GRAPH_INPUT = 'input';
const GRAPH_OUTPUT = 'output';
const WEIGHTS_FILE = 'weights.bin';

const noNetworks: ShapeContext = {
  applyNetwork: () => {
    throw new Error('a layer inside a network cannot apply another network');
  },
};

/** An export needs the input shape, known only where the graph applies the network. */
function appliedShape(program: TrainingProgram, networkId: string): Shape {
  const shape = networkInputShape(program, networkId);
  if (!shape)
    throw new Error(`network "${networkId}" is never applied: its input shape is unknown`);
  return shape;
}

/** The input and output shapes of every layer, by the node kinds' shape rules. */
export function layerShapes(program: TrainingProgram, net: ProgramNetwork) {
  const shapes = new Map<
    string,
    { inputs: Record<string, Shape>; outputs: Record<string, Shape> }
  >();
  for (const layer of net.layers) {
    const inputs: Record<string, Shape> = {};
    if (layer.id === net.input) {
      inputs.in = appliedShape(program, net.id);
    } else {
      for (const [port, ref] of Object.entries(layer.inputs)) {
        inputs[port] = shapes.get(ref.node)!.outputs[ref.port]!;
      }
    }
    const kind = findNodeKind(layer.kind)!;
    shapes.set(layer.id, { inputs, outputs: kind.inferShapes(inputs, layer.params, noNetworks) });
  }
  return shapes;
}

function weightsFile(builder: GraphBuilder): Uint8Array {
  const total = builder.constants.reduce((sum, c) => sum + c.values.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of builder.constants) {
    bytes.set(new Uint8Array(c.values.buffer, c.values.byteOffset, c.values.byteLength), offset);
    offset += c.values.byteLength;
  }
  return bytes;
}

/**
 * Builds the graph model of network `networkId` with the trainer's current weights (batch norm
 * uses its running statistics, dropout passes through). Throws, naming the layer and its kind,
 * when a layer kind has no graph export.
 */
export async function exportGraphModel(
  trainer: Trainer,
  networkId: string,
): Promise<ExportedGraphModel> {
  const program = trainer.program;
  const net = program.networks.find((n) => n.id === networkId);
  if (!net) {
    const known = program.networks.map((n) => `"${n.id}"`).join(', ');
    throw new Error(`no network "${networkId}" in this program (it has ${known})`);
  }
  for (const layer of net.layers) {
    const kind = findNodeKind(layer.kind)!;
    if (kind.apply && !kind.exportGraph) {
      throw new Error(
        `${networkId}.${layer.id}: a layer of kind "${layer.kind}" cannot be exported to a TensorFlow.js graph model`,
      );
    }
  }
  const shapes = layerShapes(program, net);
  const graph = new GraphBuilder();
  const outputs = new Map<string, Record<string, string>>();
  const inputShape = [-1, ...shapes.get(net.input)!.outputs.out!.slice(1)];
  outputs.set(net.input, { out: graph.placeholder(GRAPH_INPUT, inputShape) });
  for (const layer of net.layers) {
    const kind = findNodeKind(layer.kind)!;
    if (layer.id === net.input || !kind.exportGraph) continue;
    graph.scope = layer.id;
    const weights: Record<string, string> = {};
    for (const spec of layer.weights) {
      const name = weightName(networkId, layer.id, spec.name);
      const values = (await trainer.weights.get(name)!.data()) as Float32Array;
      weights[spec.name] = graph.weight(name, spec.shape, values);
    }
    const inputs: Record<string, string> = {};
    for (const [port, ref] of Object.entries(layer.inputs)) {
      inputs[port] = outputs.get(ref.node)![ref.port]!;
    }
    outputs.set(
      layer.id,
      kind.exportGraph(graph, inputs, weights, layer.params, shapes.get(layer.id)!),
    );
  }
  graph.scope = '';
  const result = outputs.get(net.output.node)![net.output.port]!;
  graph.namedOp(GRAPH_OUTPUT, 'Identity', [result]);
  const outputShape = [-1, ...shapes.get(net.output.node)!.outputs[net.output.port]!.slice(1)];

  const modelJson: GraphModelJson = {
    format: 'graph-model',
    generatedBy: 'Ganvas',
    convertedBy: 'Ganvas graph model export',
    // GraphModel reads `versions` (only to report them) and fails where it is missing.
    modelTopology: { node: graph.nodes, library: {}, versions: {} },
    signature: {
      inputs: {
        [GRAPH_INPUT]: {
          name: `${GRAPH_INPUT}:0`,
          dtype: 'DT_FLOAT',
          tensorShape: tensorShape(inputShape),
        },
      },
      outputs: {
        [GRAPH_OUTPUT]: {
          name: `${GRAPH_OUTPUT}:0`,
          dtype: 'DT_FLOAT',
          tensorShape: tensorShape(outputShape),
        },
      },
    },
    weightsManifest: [
      {
        paths: [WEIGHTS_FILE],
        weights: graph.constants.map(({ name, shape, dtype }) => ({ name, shape, dtype })),
      },
    ],
  };
  const weights = weightsFile(graph);
  return {
    modelJson,
    weights,
    files: { 'model.json': JSON.stringify(modelJson), [WEIGHTS_FILE]: weights },
  };
}
