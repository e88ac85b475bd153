/**
 * A graph as a self-contained PyTorch project (model.py, train.py, data.py, the helpers they
 * import, graph.json and a README), generated from the compiled program so that the exported
 * step is the step Ganvas runs. A graph the exporter cannot express is refused with the node
 * and the reason (ExportRefusal), never half-exported.
 */
import type { GraphDocument } from '../../../graph/document';
import type { VariableValue } from '../../../graph/expression';
import { compileGraph } from '../../compile';
import type { TrainingProgram } from '../../program';
import { builtinFolder } from './builtinData';
import { modelPy } from './modelCode';
import { DATA_PY } from './python/data';
import { LOSSES_PY } from './python/losses';
import { RANDOM_PY } from './python/randomStream';
import { SAFETENSORS_PY } from './python/safetensors';
import { STEP_MARKER, TRAIN_BODY_PY, TRAIN_HEAD_PY } from './python/train';
import { ExportRefusal } from './pythonText';
import { projectReadme } from './readme';
import { stepPy } from './stepCode';

export { ExportRefusal } from './pythonText';

/** The node kinds of the training graph the step knows how to write. */
const GRAPH_KINDS = new Set([
  'Dataset',
  'Images',
  'Noise',
  'Generator',
  'Discriminator',
  'ImagePool',
  'Loss',
  'GradientPenalty',
  'Optimizer',
  'Preview',
  'Concat',
]);

/** What train.py needs to know besides its step: networks, optimizers, data, pools, state. */
function programDescription(program: TrainingProgram): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const pools: Record<string, unknown> = {};
  const nodeState: Record<string, unknown> = {};
  for (const node of program.nodes) {
    const p = node.params;
    if (node.behavior === 'dataset' || node.behavior === 'noise') {
      const source = typeof p.source === 'string' ? p.source : null;
      data[node.id] = {
        kind: node.kind,
        ports: Object.keys(node.outputShapes),
        ...p,
        ...(source ? { folder: builtinFolder(source) ?? source } : {}),
        ...(node.kind === 'Images' ? { loadSize: null } : {}),
        ...(source ? { paired: source === 'builtin:daynight-paired' } : {}),
      };
    }
    if (node.behavior === 'pool') pools[node.id] = p.size;
    if (node.kind === 'Loss' && p.type === 'began' && p.role === 'discriminator') {
      nodeState[node.id] = { k: 0.0 };
    }
  }
  const layers = program.networks.flatMap((n) => n.layers);
  return {
    networks: program.networks.map((n) => n.id),
    optimizers: program.optimizers.map((o) => ({
      id: o.id,
      networks: o.networks,
      type: o.type,
      lr: o.lr,
      beta1: o.beta1,
      beta2: o.beta2,
      eps: o.eps,
      alpha: o.alpha,
      clip: o.clip,
      constantSteps: o.constantSteps,
      decaySteps: o.decaySteps,
    })),
    data,
    pools,
    nodeState,
    batchNorm: layers.some(
      (l) => l.kind === 'BatchNorm' || (l.kind === 'Residual' && l.params.norm === 'batch'),
    ),
    initDraws: layers.flatMap((l) => l.weights).filter((w) => w.init === 'normal').length,
  };
}

function refuseUnknownKinds(program: TrainingProgram): void {
  for (const node of program.nodes) {
    if (!GRAPH_KINDS.has(node.kind)) {
      throw new ExportRefusal(node.id, `a ${node.kind} node has no PyTorch translation`);
    }
  }
}

function trainPy(program: TrainingProgram, title: string): string {
  const description = JSON.stringify(programDescription(program), null, 4);
  const step = [
    '    def step(self, step):',
    `        """Training step \`step\` (0-based; it sets the learning rates), as Ganvas runs it. Returns`,
    '        every term the optimizers report, weighted, as tensors (0.0 for a term weighted 0)."""',
    stepPy(program),
  ].join('\n');
  return [
    `"""Trains ${title.replace(/"""/g, '')}, exported from Ganvas (graph.json).`,
    '',
    '    python train.py --dataroot <folder>                     # CPU or one GPU',
    '    torchrun --nproc_per_node=N train.py --dataroot <folder> # N processes (GPUs)',
    '"""',
    TRAIN_HEAD_PY,
    '# What the step needs besides its code, from the compiled graph.',
    `PROGRAM = json.loads(r"""${description}""")`,
    TRAIN_BODY_PY.replace(STEP_MARKER, step),
  ].join('\n');
}

export interface PyTorchProject {
  /** Path inside the project -> its contents. */
  files: Map<string, string | Uint8Array>;
  program: TrainingProgram;
}

/**
 * The project of a graph at the given variable values. Throws ExportRefusal for a graph with
 * errors or with something PyTorch code cannot reproduce.
 */
export function exportPyTorchProject(
  document: GraphDocument,
  overrides: Readonly<Record<string, VariableValue | string>> = {},
): PyTorchProject {
  const compiled = compileGraph(document, overrides);
  if (!compiled.ok) {
    const first = compiled.problems[0]!;
    throw new ExportRefusal(first.path, first.message);
  }
  const { program } = compiled;
  refuseUnknownKinds(program);
  const title = document.name ?? 'a Ganvas graph';
  const files = new Map<string, string | Uint8Array>([
    ['model.py', modelPy(program)],
    ['train.py', trainPy(program, title)],
    ['data.py', DATA_PY],
    ['losses.py', LOSSES_PY],
    ['ganvas_random.py', RANDOM_PY],
    ['safetensors_io.py', SAFETENSORS_PY],
    ['graph.json', JSON.stringify(document, null, 2) + '\n'],
    ['README.md', projectReadme(document, program, overrides)],
  ]);
  return { files, program };
}
