/**
 * Checkpoints: one file that holds everything needed to continue training exactly: the graph
 * (document and variable overrides), every network's weights, every optimizer's state, the step
 * (which sets the learning-rate schedule), the image pools and the random state.
 *
 * The file is safetensors: tensors under `weight/`, `optimizer/<id>/<slot>/`, `pool/<id>/` and
 * `state/<node>.<name>` (state of training-graph nodes, e.g. BEGAN's k_t), and the rest as JSON
 * in the metadata entry `ganvas`. Any safetensors reader can open it.
 */
import { z } from 'zod';
import { documentAsWritten, parseDocument, type GraphDocument } from '../graph/document';
import { formatProblem } from '../graph/problems';
import { problemsFromZodError } from '../graph/zodProblems';
import { readSafeTensors, SafeTensorsError, writeSafeTensors } from './safetensors';
import type { HostTensor, TrainerState } from './trainer';

export const CHECKPOINT_FORMAT = 'ganvas-checkpoint';
export const CHECKPOINT_VERSION = 1;

export class CheckpointError extends Error {}

const Meta = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.number().int(),
  document: z.unknown(),
  overrides: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  step: z.number().int().min(0),
  random: z.number().int().min(0),
  optimizers: z.array(z.object({ id: z.string(), step: z.number().int().min(0) })),
  pools: z.record(z.string(), z.number().int().min(0)),
  savedAt: z.string(),
});

export interface Checkpoint {
  document: GraphDocument;
  overrides: Record<string, number | string | boolean>;
  state: TrainerState;
  savedAt: string;
}

export function writeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  const { state } = checkpoint;
  const tensors = new Map<string, HostTensor>();
  for (const [name, t] of state.weights) tensors.set(`weight/${name}`, t);
  for (const opt of state.optimizers) {
    for (const [key, t] of opt.slots) tensors.set(`optimizer/${opt.id}/${key}`, t);
  }
  for (const [id, images] of state.pools)
    images.forEach((t, i) => tensors.set(`pool/${id}/${i}`, t));
  for (const [key, t] of state.nodeState) tensors.set(`state/${key}`, t);
  const meta: z.infer<typeof Meta> = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    document: documentAsWritten(checkpoint.document),
    overrides: checkpoint.overrides,
    step: state.step,
    random: state.random,
    optimizers: state.optimizers.map((o) => ({ id: o.id, step: o.step })),
    pools: Object.fromEntries([...state.pools].map(([id, images]) => [id, images.length])),
    savedAt: checkpoint.savedAt,
  };
  return writeSafeTensors(tensors, { ganvas: JSON.stringify(meta) });
}

/** Reads a checkpoint; a file that is not one, or is damaged, throws a CheckpointError saying why. */
export function readCheckpoint(bytes: Uint8Array): Checkpoint {
  let file;
  try {
    file = readSafeTensors(bytes);
  } catch (e) {
    if (e instanceof SafeTensorsError)
      throw new CheckpointError(`damaged or not a checkpoint: ${e.message}`);
    throw e;
  }
  const raw = file.metadata.ganvas;
  if (raw === undefined)
    throw new CheckpointError('not a Ganvas checkpoint: it has no "ganvas" metadata');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new CheckpointError('damaged checkpoint: its metadata is not valid JSON');
  }
  const meta = Meta.safeParse(json);
  if (!meta.success) {
    const problem = problemsFromZodError(meta.error, json, 'schema')[0]!;
    throw new CheckpointError(`damaged checkpoint: metadata ${formatProblem(problem)}`);
  }
  const m = meta.data;
  if (m.version > CHECKPOINT_VERSION) {
    throw new CheckpointError(
      `checkpoint format version ${m.version} was written by a newer Ganvas`,
    );
  }
  // Parsed as any document is: a graph saved by an older Ganvas has its params brought up to date.
  const document = parseDocument(m.document);
  if (!document.ok) {
    throw new CheckpointError(
      `damaged checkpoint: its graph does not parse (${formatProblem(document.problems[0]!)})`,
    );
  }
  const tensor = (name: string): HostTensor => {
    const t = file.tensors.get(name);
    if (!t?.data) throw new CheckpointError(`damaged checkpoint: tensor "${name}" is missing`);
    return { data: t.data, shape: t.shape };
  };
  const weights = new Map<string, HostTensor>();
  const nodeState = new Map<string, HostTensor>();
  for (const name of file.tensors.keys()) {
    if (name.startsWith('weight/')) weights.set(name.slice('weight/'.length), tensor(name));
    if (name.startsWith('state/')) nodeState.set(name.slice('state/'.length), tensor(name));
  }
  const optimizers = m.optimizers.map((o) => {
    const prefix = `optimizer/${o.id}/`;
    const slots = new Map<string, HostTensor>();
    for (const name of file.tensors.keys()) {
      if (name.startsWith(prefix)) slots.set(name.slice(prefix.length), tensor(name));
    }
    return { id: o.id, step: o.step, slots };
  });
  const pools = new Map<string, HostTensor[]>();
  for (const [id, count] of Object.entries(m.pools)) {
    pools.set(
      id,
      Array.from({ length: count }, (_, i) => tensor(`pool/${id}/${i}`)),
    );
  }
  return {
    document: document.document,
    overrides: m.overrides,
    savedAt: m.savedAt,
    state: { step: m.step, random: m.random, weights, optimizers, pools, nodeState },
  };
}
