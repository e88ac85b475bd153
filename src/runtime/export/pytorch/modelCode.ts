/**
 * model.py: one nn.Module per network of the compiled program, whose state_dict names are
 * Ganvas's weight names (`model.1.weight` inside `G_A`). A network whose layers form one chain
 * numbered `<name>.<i>` becomes an nn.Sequential, as the reference writes its networks; any
 * other becomes nested nn.ModuleDicts, one per part of the layer ids, and a forward that wires
 * the layers as the graph does.
 */
import type { Shape } from '../../../nodes/kind';
import type { ProgramLayer, ProgramNetwork, TrainingProgram } from '../../program';
import { ExportRefusal, layerShapes, pythonName, pythonLiteral, uniqueNames } from './pythonText';
import { LAYERS_PY } from './python/layers';

/** The inputs of each two-input layer kind, in the order its module's forward takes them. */
const INPUT_PORTS: Record<string, string[]> = {
  Concat: ['a', 'b'],
  Add: ['a', 'b'],
  Energy: ['in', 'target'],
};

function flag(value: unknown): string {
  return value ? 'True' : 'False';
}

/** The PyTorch module computing one layer, given the shape it receives (NHWC or N×D). */
function layerModule(net: string, layer: ProgramLayer, input: Shape | undefined): string {
  const p = layer.params;
  const where = `${net}.${layer.id}`;
  const channels = input?.[input.length - 1];
  switch (layer.kind) {
    case 'Conv': {
      const k = p.kernel as number;
      const stride = p.stride as number;
      let padding = p.padding as number | 'same' | 'valid';
      if (padding === 'valid') padding = 0;
      if (padding === 'same') {
        if (stride !== 1 || k % 2 === 0 || p.transposed) {
          throw new ExportRefusal(
            where,
            `padding "same" with stride ${stride} and a ${k}×${k} kernel${p.transposed ? ' (transposed)' : ''} pads unevenly in TensorFlow, which PyTorch's convolutions cannot express: give the padding as a number`,
          );
        }
        padding = (k - 1) / 2;
      }
      const bias = p.bias ? '' : ', bias=False';
      if (p.transposed) {
        return `nn.ConvTranspose2d(${channels}, ${p.filters}, ${k}, stride=${stride}, padding=${padding}, output_padding=${p.outputPadding}${bias})`;
      }
      return `nn.Conv2d(${channels}, ${p.filters}, ${k}, stride=${stride}, padding=${padding}${bias})`;
    }
    case 'InstanceNorm':
      return `nn.InstanceNorm2d(${channels}, eps=${p.eps}${p.affine ? ', affine=True' : ''})`;
    case 'BatchNorm':
      return `BatchNorm${input?.length === 4 ? '2d' : '1d'}(${channels}, eps=${p.eps}, momentum=${p.momentum})`;
    case 'Activation':
      switch (p.fn) {
        case 'relu':
          return 'nn.ReLU()';
        case 'leaky_relu':
          return `nn.LeakyReLU(${p.alpha})`;
        case 'tanh':
          return 'nn.Tanh()';
        default:
          return 'nn.Sigmoid()';
      }
    case 'ReflectionPad':
      return `nn.ReflectionPad2d(${p.padding})`;
    case 'Residual':
      return `ResnetBlock(${channels}, padding_type=${pythonLiteral(p.padding)}, norm=${pythonLiteral(p.norm)}, use_dropout=${flag(p.dropout)}, use_bias=${flag(p.bias)})`;
    case 'Upsample':
      return p.mode === 'bilinear'
        ? `nn.Upsample(scale_factor=${p.scale}, mode="bilinear", align_corners=False)`
        : `nn.Upsample(scale_factor=${p.scale}, mode="nearest")`;
    case 'Dropout':
      return `nn.Dropout(${p.rate})`;
    case 'Dense':
      return `nn.Linear(${channels}, ${p.units}${p.bias ? '' : ', bias=False'})`;
    case 'Flatten':
      return 'Flatten()';
    case 'Reshape': {
      const shape = p.shape as number[];
      if (shape.length === 2) {
        throw new ExportRefusal(
          where,
          `a sample of two axes (${shape.join('×')}) is neither an image nor a vector: PyTorch's layers have no layout for it`,
        );
      }
      return `Reshape(${shape.join(', ')})`;
    }
    case 'Concat':
      return 'Concat()';
    case 'Add':
      return 'Add()';
    case 'Energy':
      return `Energy(${pythonLiteral(p.distance)}, target_gradient=${flag(p.target_gradient)})`;
    default:
      throw new ExportRefusal(where, `a layer of kind "${layer.kind}" has no PyTorch translation`);
  }
}

/** The computing layers: every layer but the network's Input and Output. */
function computingLayers(net: ProgramNetwork): ProgramLayer[] {
  return net.layers.filter((l) => l.id !== net.input && l.kind !== 'Output');
}

/** `<prefix>.<i>` with increasing i, each fed by the one before: an nn.Sequential. */
function sequentialPrefix(net: ProgramNetwork): string | null {
  const layers = computingLayers(net);
  if (layers.length === 0) return null;
  const prefix = /^([A-Za-z_][A-Za-z0-9_]*)\.\d+$/.exec(layers[0]!.id)?.[1];
  if (!prefix) return null;
  let previous = net.input;
  let index = -1;
  for (const layer of layers) {
    const match = new RegExp(`^${prefix}\\.(\\d+)$`).exec(layer.id);
    const ports = Object.entries(layer.inputs);
    if (!match || Number(match[1]) <= index) return null;
    if (ports.length !== 1 || ports[0]![1].node !== previous) return null;
    index = Number(match[1]);
    previous = layer.id;
  }
  return net.output.node === previous ? prefix : null;
}

interface ModuleTree {
  [part: string]: ModuleTree | string;
}

/** Nested ModuleDicts, one level per part of the layer ids: the state_dict names are the ids. */
function moduleTree(net: ProgramNetwork, modules: Map<string, string>): ModuleTree {
  const root: ModuleTree = {};
  for (const [id, module] of modules) {
    const parts = id.split('.');
    let node = root;
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const existing = node[part];
      if (last ? existing !== undefined : typeof existing === 'string') {
        throw new ExportRefusal(
          `${net.id}.${id}`,
          `its id names both a layer and a group of layers ("${parts.slice(0, i + 1).join('.')}"), which one PyTorch module cannot be`,
        );
      }
      if (last) node[part] = module;
      else node = (node[part] ??= {}) as ModuleTree;
    }
  }
  return root;
}

function moduleDict(tree: ModuleTree, indent: string): string {
  const inner = indent + '    ';
  const entries = Object.entries(tree).map(
    ([part, value]) =>
      `${inner}${pythonLiteral(part)}: ${typeof value === 'string' ? value : moduleDict(value, inner)},`,
  );
  return `nn.ModuleDict({\n${entries.join('\n')}\n${indent}})`;
}

/** `self.down["0"]["1"]`: the module of a layer in the tree. */
function modulePath(id: string): string {
  const [first, ...rest] = id.split('.');
  return `self.${first}${rest.map((p) => `[${pythonLiteral(p)}]`).join('')}`;
}

function networkClass(program: TrainingProgram, net: ProgramNetwork, className: string): string {
  const shapes = layerShapes(program, net);
  const modules = new Map<string, string>();
  for (const layer of computingLayers(net)) {
    const input = Object.values(shapes.get(layer.id)!.inputs)[0];
    modules.set(layer.id, layerModule(net.id, layer, input));
  }
  for (const id of modules.keys()) {
    if (!/^[A-Za-z_]/.test(id) || /-/.test(id.split('.')[0]!)) {
      throw new ExportRefusal(`${net.id}.${id}`, 'its id does not start as a Python name');
    }
  }
  const doc = `    """${net.id} (${net.role}): ${modules.size} layers, as the Ganvas graph defines them."""`;
  const prefix = sequentialPrefix(net);
  if (prefix) {
    const numbered = [...modules].map(([id, m]) => [id.slice(prefix.length + 1), m] as const);
    const consecutive = numbered.every(([i], at) => Number(i) === at);
    const body = consecutive
      ? `nn.Sequential(\n${numbered.map(([, m]) => `            ${m},`).join('\n')}\n        )`
      : `nn.Sequential(OrderedDict([\n${numbered.map(([i, m]) => `            (${pythonLiteral(i)}, ${m}),`).join('\n')}\n        ]))`;
    return moduleClass(
      className,
      doc,
      [`        self.${prefix} = ${body}`],
      [`        return self.${prefix}(x)`],
    );
  }
  const tree = moduleTree(net, modules);
  const names = uniqueNames(['x', ...modules.keys()].map((id) => [id, pythonName(id)]));
  names.set(net.input, 'x');
  const forward = computingLayers(net).map((layer) => {
    const ports = INPUT_PORTS[layer.kind] ?? ['in'];
    const args = ports.map((port) => names.get(layer.inputs[port]!.node)!).join(', ');
    return `        ${names.get(layer.id)} = ${modulePath(layer.id)}(${args})`;
  });
  return moduleClass(
    className,
    doc,
    Object.entries(tree).map(
      ([part, value]) =>
        `        self.${part} = ${typeof value === 'string' ? value : moduleDict(value, '        ')}`,
    ),
    [...forward, `        return ${names.get(net.output.node)}`],
  );
}

/** An nn.Module subclass: its docstring, the lines of __init__ after super(), of forward(x). */
function moduleClass(name: string, doc: string, init: string[], forward: string[]): string {
  return [
    `class ${name}(nn.Module):`,
    doc,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...init,
    '',
    '    def forward(self, x):',
    ...forward,
  ].join('\n');
}

/** The class name of each network, by network id. */
export function networkClassNames(program: TrainingProgram): Map<string, string> {
  const taken = [
    'ResnetBlock',
    'Flatten',
    'Reshape',
    'Concat',
    'Add',
    'Energy',
    'OrderedDict',
    'BatchNorm1d',
    'BatchNorm2d',
    'OneValueBatchNorm',
  ];
  const names = uniqueNames(
    program.networks.map((n) => [n.id, pythonName(n.id)]),
    taken,
  );
  return names;
}

export function modelPy(program: TrainingProgram): string {
  const classNames = networkClassNames(program);
  const classes = program.networks.map((net) =>
    networkClass(program, net, classNames.get(net.id)!),
  );
  const registry = program.networks
    .map((net) => `    ${pythonLiteral(net.id)}: ${classNames.get(net.id)},`)
    .join('\n');
  return [
    '"""The networks of the Ganvas graph, one nn.Module each. Their state_dict names are the names',
    'Ganvas gives their weights, prefixed with the network (G_A.model.1.weight), in PyTorch layouts;',
    'images flow N, C, H, W. Generated by `ganvas export pytorch` from graph.json."""',
    'from collections import OrderedDict',
    '',
    LAYERS_PY,
    ...classes.map((c) => `\n\n${c}`),
    '',
    '',
    '# Network id -> its class.',
    `NETWORKS = {\n${registry}\n}`,
    '',
  ].join('\n');
}
