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
import {
  readSafeTensors,
  SafeTensorsError,
  writeSafeTensors,
  type SafeTensor,
} from './safetensors';
import type { HostTensor, TrainerState } from './trainer';

export const CHECKPOINT_FORMAT = 'ganvas-checkpoint';
export const CHECKPOINT_VERSION = 1;

export class CheckpointError extends Error {}

const Meta = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  version: z.number().int().min(1),
  document: z.unknown(),
  overrides: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  step: z.number().int().min(0),
  // The random stream's whole state: a uint32.
  random: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  optimizers: z.array(z.object({ id: z.string().min(1), step: z.number().int().min(0) })),
  pools: z.record(z.string(), z.number().int().min(0)),
  savedAt: z.string().max(100),
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
  return {
    document: document.document,
    overrides: m.overrides,
    savedAt: m.savedAt,
    state: { step: m.step, random: m.random, ...checkpointTensors(file.tensors, m) },
  };
}

type CheckpointTensors = Pick<TrainerState, 'weights' | 'optimizers' | 'pools' | 'nodeState'>;

/**
 * The tensors sorted into the trainer's parts, each checked against what the metadata says: an
 * optimizer's slot belongs to a listed optimizer and has its weight's shape, a pool holds the
 * count of same-shaped images the metadata names, and no tensor is left over.
 */
function checkpointTensors(
  tensors: ReadonlyMap<string, SafeTensor>,
  meta: z.infer<typeof Meta>,
): CheckpointTensors {
  const damaged = (why: string) => new CheckpointError(`damaged checkpoint: ${why}`);
  const used = new Set<string>();
  const tensor = (name: string): HostTensor => {
    const t = tensors.get(name);
    if (!t) throw damaged(`tensor "${name}" is missing`);
    if (!t.data) throw damaged(`tensor "${name}" is ${t.dtype}, not F32`);
    used.add(name);
    return { data: t.data, shape: t.shape };
  };
  const under = (prefix: string) =>
    [...tensors.keys()].filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));

  const weights = new Map(under('weight/').map((n) => [n, tensor(`weight/${n}`)]));
  const nodeState = new Map<string, HostTensor>();
  for (const key of under('state/')) {
    if (!/^[^.]+\..+$/.test(key)) throw damaged(`tensor "state/${key}" names no node and state`);
    nodeState.set(key, tensor(`state/${key}`));
  }
  const optimizerIds = new Set<string>();
  const optimizers = meta.optimizers.map((o) => {
    if (optimizerIds.has(o.id)) throw damaged(`optimizer "${o.id}" is listed twice`);
    optimizerIds.add(o.id);
    const slots = new Map<string, HostTensor>();
    for (const key of under(`optimizer/${o.id}/`)) {
      const name = `optimizer/${o.id}/${key}`;
      const weight = weights.get(key.slice(key.indexOf('/') + 1));
      const slot = tensor(name);
      if (!key.includes('/') || !weight)
        throw damaged(`tensor "${name}" is the state of no weight in the checkpoint`);
      if (slot.shape.join('×') !== weight.shape.join('×')) {
        throw damaged(
          `tensor "${name}" is ${slot.shape.join('×')}, its weight ${weight.shape.join('×')}`,
        );
      }
      slots.set(key, slot);
    }
    return { id: o.id, step: o.step, slots };
  });
  const pools = new Map<string, HostTensor[]>();
  for (const [id, count] of Object.entries(meta.pools)) {
    const held = under(`pool/${id}/`).length;
    // Checked before anything is made: the count is the file's word, the tensors its content.
    if (count !== held)
      throw damaged(`image pool "${id}" is said to hold ${count} images; the file holds ${held}`);
    const images = Array.from({ length: count }, (_, i) => tensor(`pool/${id}/${i}`));
    const shape = images[0]?.shape.join('×');
    const odd = images.find((t) => t.shape.length !== 4 || t.shape.join('×') !== shape);
    if (odd)
      throw damaged(`image pool "${id}" holds an image of ${odd.shape.join('×')} among ${shape}`);
    pools.set(id, images);
  }
  const left = [...tensors.keys()].find((name) => !used.has(name));
  if (left !== undefined) throw damaged(`tensor "${left}" belongs to no part of training`);
  return { weights, optimizers, pools, nodeState };
}
