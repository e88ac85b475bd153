/** What train and eval share: compile the graph, pick the backend, make the trainer, load weights. */
import { formatProblem } from '../../graph/problems';
import type { TF } from '../../nodes/kind';
import { selectBackend, type BackendRequest } from '../backends/select';
import { compileGraph } from '../compile';
import { DataBatchSource } from '../data/batches';
import { FixedBatchSource } from '../fixedBatch';
import type { TrainingProgram } from '../program';
import { Trainer, type BatchSource } from '../trainer';
import { importTorchWeights } from '../weights';
import { UsageError } from './errors';
import { readGraphFile, readSafeTensorsFile } from './files';
import { positiveInteger } from './main';

export interface SessionOptions {
  backend?: string;
  data?: string;
  init?: string;
  batch?: string;
  seed?: string;
}

export interface Session {
  tf: TF;
  trainer: Trainer;
  program: TrainingProgram;
  backend: string;
}

export async function openSession(
  file: string,
  sets: Record<string, string>,
  options: SessionOptions,
): Promise<Session> {
  const compiled = compileGraph(readGraphFile(file), sets);
  if (!compiled.ok) {
    const first = compiled.problems[0]!;
    const more =
      compiled.problems.length > 1
        ? ` (and ${compiled.problems.length - 1} more: run ganvas check)`
        : '';
    throw new UsageError(`${file}: ${formatProblem(first)}${more}`);
  }
  const backend = (options.backend ?? 'cpu') as BackendRequest;
  if (!['cpu', 'webgpu'].includes(backend)) {
    throw new UsageError(`--backend: expected cpu or webgpu, received "${backend}"`);
  }
  if (options.data && !options.data.startsWith('builtin:')) {
    throw new UsageError(`--data: expected builtin:<name>, received "${options.data}"`);
  }
  const tf = await import('@tensorflow/tfjs');
  // Keeps tfjs's "install tfjs-node" banner out of the command's output.
  tf.enableProdMode();
  let selected;
  try {
    selected = await selectBackend(tf, backend);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let source: BatchSource;
  if (options.batch) {
    const batch = readSafeTensorsFile(options.batch, 'batch');
    const fixed = new FixedBatchSource(
      new Map(
        [...batch.tensors].flatMap(([name, t]) =>
          t.data ? [[name, { data: t.data, shape: t.shape }] as const] : [],
        ),
      ),
    );
    for (const node of compiled.program.nodes.filter((n) => n.role === 'dataset')) {
      try {
        fixed.next(node);
      } catch (e) {
        throw new UsageError(`${options.batch}: ${(e as Error).message}`);
      }
    }
    source = fixed;
  } else {
    source = new DataBatchSource(undefined, options.data);
  }
  const trainer = new Trainer(tf, compiled.program, {
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
  return { tf, trainer, program: compiled.program, backend: selected.backend };
}
