/**
 * Damaged checkpoints, crafted field by field: each is a CheckpointError that says what is wrong
 * and where, never a TypeError or RangeError out of resume.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/graph/document';
import {
  CheckpointError,
  readCheckpoint,
  writeCheckpoint,
  type Checkpoint,
} from '../../src/runtime/checkpoint';
import { readSafeTensors, writeSafeTensors } from '../../src/runtime/safetensors';

const parsed = parseDocument(
  readFileSync(new URL('../../templates/gan.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error('the GAN template does not parse');
const document = parsed.document;

const t = (...shape: number[]) => ({
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});

function checkpoint(): Checkpoint {
  return {
    document,
    overrides: { size: 8 },
    savedAt: new Date(0).toISOString(),
    state: {
      step: 3,
      random: 12345,
      weights: new Map([['G.dense.kernel', t(4, 2)]]),
      optimizers: [{ id: 'opt_G', step: 3, slots: new Map([['m/G.dense.kernel', t(4, 2)]]) }],
      pools: new Map([['pool', [t(1, 2, 2, 1), t(1, 2, 2, 1)]]]),
      nodeState: new Map([['began.k_t', t(1)]]),
    },
  };
}

/** The checkpoint's file with its metadata and tensors changed as given. */
function rewritten(
  change: (
    meta: Record<string, unknown>,
    tensors: Map<string, { shape: number[]; data: Float32Array }>,
  ) => void,
): Uint8Array {
  const file = readSafeTensors(writeCheckpoint(checkpoint()));
  const meta = JSON.parse(file.metadata.ganvas!) as Record<string, unknown>;
  const tensors = new Map(
    [...file.tensors].map(([n, x]) => [n, { shape: x.shape, data: x.data! }]),
  );
  change(meta, tensors);
  return writeSafeTensors(tensors, { ganvas: JSON.stringify(meta) });
}

describe('a checkpoint read back', () => {
  it('gives back what was written', () => {
    const read = readCheckpoint(writeCheckpoint(checkpoint()));
    expect(read.state.pools.get('pool')).toHaveLength(2);
    expect(read.state.optimizers[0]!.slots.get('m/G.dense.kernel')!.shape).toEqual([4, 2]);
    expect(read.state.nodeState.get('began.k_t')!.shape).toEqual([1]);
    expect(read.state.random).toBe(12345);
  });
});

describe('a damaged checkpoint is a CheckpointError saying what is wrong', () => {
  it.each<[string, Parameters<typeof rewritten>[0], RegExp]>([
    [
      'a pool count of 2^53-1',
      (m) => (m.pools = { pool: Number.MAX_SAFE_INTEGER }),
      /image pool "pool" is said to hold 9007199254740991 images; the file holds 2/,
    ],
    ['a pool count that is fractional', (m) => (m.pools = { pool: 1.5 }), /metadata pools\.pool/],
    [
      'a pool image missing',
      (m, x) => x.delete('pool/pool/1'),
      /"pool" is said to hold 2 images; the file holds 1/,
    ],
    [
      'pool images of two shapes',
      (_, x) => x.set('pool/pool/1', t(1, 3, 3, 1)),
      /image pool "pool" holds an image of 1×3×3×1 among 1×2×2×1/,
    ],
    [
      'a random state past a uint32',
      (m) => (m.random = 2 ** 32),
      /metadata random: expected a number <= 4294967295/,
    ],
    ['a negative step', (m) => (m.step = -1), /metadata step: expected a number >= 0/],
    ['a step that is a string', (m) => (m.step = '3'), /metadata step/],
    ['no optimizers list', (m) => delete m.optimizers, /metadata optimizers/],
    [
      'an optimizer listed twice',
      (m) =>
        (m.optimizers = [
          { id: 'opt_G', step: 1 },
          { id: 'opt_G', step: 1 },
        ]),
      /optimizer "opt_G" is listed twice/,
    ],
    ['a version 0', (m) => (m.version = 0), /metadata version/],
    ['a savedAt that is no string', (m) => (m.savedAt = {}), /metadata savedAt/],
    ['overrides that are no record', (m) => (m.overrides = [1]), /metadata overrides/],
    [
      'an optimizer slot of no weight',
      (_, x) => x.set('optimizer/opt_G/m/nothing', t(1)),
      /tensor "optimizer\/opt_G\/m\/nothing" is the state of no weight/,
    ],
    [
      'an optimizer slot of the wrong shape',
      (_, x) => x.set('optimizer/opt_G/m/G.dense.kernel', t(2, 4)),
      /tensor "optimizer\/opt_G\/m\/G\.dense\.kernel" is 2×4, its weight 4×2/,
    ],
    [
      'a slot of an optimizer not listed',
      (m) => (m.optimizers = []),
      /tensor "optimizer\/opt_G\/m\/G\.dense\.kernel" belongs to no part of training/,
    ],
    [
      'node state naming no node',
      (_, x) => x.set('state/k_t', t(1)),
      /tensor "state\/k_t" names no node and state/,
    ],
    [
      'a tensor of no part',
      (_, x) => x.set('extra', t(1)),
      /tensor "extra" belongs to no part of training/,
    ],
    [
      'a graph with duplicate ids',
      (m) => {
        const doc = m.document as { nodes: unknown[] };
        doc.nodes.push(doc.nodes[0]);
      },
      /its graph does not parse \(nodes\[\d+\]\.id: duplicate node id/,
    ],
    ['a graph that is no document', (m) => (m.document = null), /its graph does not parse/],
  ])('%s', (_, change, message) => {
    const read = () => readCheckpoint(rewritten(change));
    expect(read).toThrow(CheckpointError);
    expect(read).toThrow(message);
  });
});
