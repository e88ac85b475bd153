/**
 * What train, eval and translate share: compile the graph, pick the backend, load the data, make
 * the trainer, load weights.
 */
import { estimateStep, type DeviceLimits, type StepEstimate } from '../../graph/budget';
import type { GraphDocument } from '../../graph/document';
import type { VariableValue } from '../../graph/expression';
import { formatProblem } from '../../graph/problems';
import type { TF } from '../../nodes/kind';
import { selectBackend, type BackendRequest } from '../backends/select';
import { compileGraph } from '../compile';
import {
  builtinResolver,
  DataBatchSource,
  datasetParamsOf,
  loadSizeOf,
  preloadedResolver,
  type DatasetResolver,
} from '../data/batches';
import { decodeImageInNode } from '../data/decodeNode';
import { formatLoadReport, ImageFolderError, loadImageFolder } from '../data/folder';
import { FixedBatchSource } from '../fixedBatch';
import type { TrainingProgram } from '../program';
import { Trainer, type BatchSource } from '../trainer';
import { importTorchWeights } from '../weights';
import { memoryLimits } from './budget';
import { UsageError } from './errors';
import { datasetEntries, datasetName, readSafeTensorsFile } from './files';
import { positiveInteger } from './main';

export interface SessionOptions {
  backend?: string;
  data?: string;
  init?: string;
  batch?: string;
  seed?: string;
  /** The step's memory budget (`32GiB`): a graph over it is refused before anything is made. */
  'memory-budget'?: string;
}

/** A graph to run: a graph file's document, or the one a checkpoint carries. */
export interface GraphInput {
  /** Where it came from, to name in messages: the graph file or the checkpoint. */
  label: string;
  document: GraphDocument;
}

export interface Session {
  tf: TF;
  trainer: Trainer;
  program: TrainingProgram;
  /** Each network's parameters and a step's memory, as the check estimated them. */
  estimate: StepEstimate;
  limits: DeviceLimits;
  backend: string;
  /** The values of the variables set with --set, typed as the graph declares them. */
  overrides: Record<string, VariableValue>;
  /** The datasets the batches are drawn from: folders loaded, built-in sets made when asked. */
  datasets: DatasetResolver;
}

/**
 * `train` draws batches from the data; `run` only applies networks (eval, translate), so no data
 * is loaded for it.
 */
export type SessionPurpose = 'train' | 'run';

const NO_BATCHES: BatchSource = {
  next() {
    throw new Error('this session applies networks only: it has no training data');
  },
};

export async function openSession(
  graph: GraphInput,
  sets: Record<string, VariableValue | string>,
  options: SessionOptions,
  purpose: SessionPurpose = 'train',
): Promise<Session> {
  const limits = memoryLimits(options['memory-budget']);
  const compiled = compileGraph(graph.document, sets, limits);
  if (!compiled.ok) {
    const first = compiled.problems[0]!;
    const more =
      compiled.problems.length > 1
        ? ` (and ${compiled.problems.length - 1} more: run ganvas check)`
        : '';
    throw new UsageError(`${graph.label}: ${formatProblem(first)}${more}`);
  }
  const { program } = compiled;
  const overrides = Object.fromEntries(
    Object.keys(sets).map((name) => [name, compiled.graph.variables[name]!]),
  );
  const backend = (options.backend ?? 'cpu') as BackendRequest;
  if (!['cpu', 'webgpu'].includes(backend)) {
    throw new UsageError(`--backend: expected cpu or webgpu, received "${backend}"`);
  }
  const datasets =
    purpose === 'run' || options.batch
      ? builtinResolver
      : await loadDatasets(program, options.data);
  const source =
    purpose === 'run'
      ? NO_BATCHES
      : options.batch
        ? fixedBatches(options.batch, program)
        : new DataBatchSource(datasets, options.data);
  const tf = await import('@tensorflow/tfjs');
  // Keeps tfjs's "install tfjs-node" banner out of the command's output.
  tf.enableProdMode();
  let selected;
  try {
    selected = await selectBackend(tf, backend);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const trainer = new Trainer(tf, program, {
    source,
    seed: positiveInteger(options.seed, '--seed', 0),
  });
  if (options.init) {
    const imported = importTorchWeights(trainer, readSafeTensorsFile(options.init, 'weights'));
    const wrong = [...imported.problems, ...imported.missing.map((n) => `${n}: not in the file`)];
    if (wrong.length > 0) {
      trainer.dispose();
      const more = wrong.length > 1 ? ` (and ${wrong.length - 1} more)` : '';
      throw new UsageError(`${options.init}: ${wrong[0]}${more}`);
    }
  }
  const estimate = estimateStep(compiled.graph, compiled.inference);
  return {
    tf,
    trainer,
    program,
    estimate,
    limits,
    backend: selected.backend,
    overrides,
    datasets,
  };
}

function fixedBatches(file: string, program: TrainingProgram): BatchSource {
  const batch = readSafeTensorsFile(file, 'batch');
  const fixed = new FixedBatchSource(
    new Map(
      [...batch.tensors].flatMap(([name, t]) =>
        t.data ? [[name, { data: t.data, shape: t.shape }] as const] : [],
      ),
    ),
  );
  for (const node of program.nodes.filter((n) => n.behavior === 'dataset')) {
    try {
      fixed.next(node);
    } catch (e) {
      throw new UsageError(`${file}: ${(e as Error).message}`);
    }
  }
  return fixed;
}

/**
 * The Dataset nodes' sources (or --data, which replaces them all). Folders and zips are loaded
 * here, before training, at each load size the graph asks for; their load report goes to stderr.
 * Built-in sets are made when first drawn.
 */
export async function loadDatasets(
  program: TrainingProgram,
  data: string | undefined,
): Promise<DatasetResolver> {
  const folders = new Map<string, Set<number>>();
  for (const node of program.nodes.filter((n) => n.behavior === 'dataset')) {
    const source = data ?? datasetParamsOf(node).source;
    if (source.startsWith('builtin:')) {
      // Made when first drawn, but named here: a misspelt name is one line before training starts.
      try {
        builtinResolver(source, loadSizeOf(node));
      } catch (e) {
        throw new UsageError(`${data ? '--data' : 'Dataset source'}: ${(e as Error).message}`);
      }
      continue;
    }
    if (!folders.has(source)) folders.set(source, new Set());
    folders.get(source)!.add(loadSizeOf(node));
  }
  const loaded = [];
  for (const [source, sizes] of folders) {
    const flag = data ? '--data' : 'Dataset source';
    const entries = datasetEntries(source, flag);
    const name = datasetName(source);
    let reported = false;
    for (const loadSize of sizes) {
      try {
        const { dataset, report } = await loadImageFolder(entries, {
          loadSize,
          decode: decodeImageInNode,
          name,
        });
        if (!reported) process.stderr.write(formatLoadReport(name, report).join('\n') + '\n');
        reported = true;
        loaded.push({ source, dataset });
      } catch (e) {
        if (!(e instanceof ImageFolderError)) throw e;
        process.stderr.write(formatLoadReport(name, e.report).join('\n') + '\n');
        throw new UsageError(e.message);
      }
    }
  }
  return preloadedResolver(loaded);
}
