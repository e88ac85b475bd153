/**
 * `npx tsx bench/zoo/gpu/stage.ts --out <folder>`: what a GPU machine needs to train the MNIST
 * families of the zoo from their exported PyTorch projects, with no node and no network there.
 * For each family, `ganvas export pytorch templates/<family>.json` without its data folder
 * (the exported train.py holds Ganvas's training step; train.py here feeds it); one file of the
 * digits, mnist.safetensors.gz: the training and test splits at 28×28, 32×32 and 64×64 as Ganvas
 * resizes them (createMnistDataset), bytes 0-255 for values (byte / 127.5 - 1), gzipped; the digit classifier's
 * weights; and this folder's Python. `run.sh` in the out folder then trains every family.
 */
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createMnistDataset } from '../../../src/runtime/data/mnist';
import { MNIST_FAMILIES } from '../../zooRun';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const HERE = fileURLToPath(new URL('./', import.meta.url));
const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    out: { type: 'string' },
    family: { type: 'string', multiple: true },
    variant: { type: 'string', multiple: true },
  },
});
if (!values.out) throw new Error('--out: expected the folder to stage into');
const out = values.out.endsWith('/') ? values.out : `${values.out}/`;
const families = values.family ?? MNIST_FAMILIES;
/** `--variant name=family:var=value,var=value`: a family exported with other values, as `name`. */
const variants = (values.variant ?? []).map((spec) => {
  const match = /^([\w-]+)=([\w-]+):(.+)$/.exec(spec);
  if (!match) throw new Error(`--variant: expected name=family:var=value,..., received "${spec}"`);
  return { name: match[1]!, family: match[2]!, sets: match[3]!.split(',') };
});

/** One split at one size as U8 bytes, N×size×size (the first channel: the grey is replicated). */
function split(size: number, which: 'train' | 'test'): { shape: number[]; data: Uint8Array } {
  const dataset = createMnistDataset(size);
  const count = which === 'train' ? dataset.trainCount : dataset.testCount;
  const data = new Uint8Array(count * size * size);
  for (let i = 0; i < count; i++) {
    const image = which === 'train' ? dataset.trainImage('A', i) : dataset.testImage('A', i);
    for (let p = 0; p < size * size; p++) {
      data[i * size * size + p] = Math.round((image[p * 3]! + 1) * 127.5);
    }
  }
  return { shape: [count, size, size], data };
}

function writeBytes(path: string, tensors: Record<string, { shape: number[]; data: Uint8Array }>) {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: 'U8', shape: t.shape, data_offsets: [offset, offset + t.data.length] };
    offset += t.data.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const bytes = new Uint8Array(8 + head.length + offset);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(head.length), true);
  bytes.set(head, 8);
  let at = 8 + head.length;
  for (const t of Object.values(tensors)) {
    bytes.set(t.data, at);
    at += t.data.length;
  }
  writeFileSync(path, gzipSync(bytes));
}

mkdirSync(out, { recursive: true });
for (const { name, family, sets } of [
  ...families.map((family) => ({ name: family, family, sets: [] as string[] })),
  ...variants,
]) {
  rmSync(out + name, { recursive: true, force: true });
  const setArgs = sets.flatMap((set) => ['--set', set]);
  execFileSync(
    process.execPath,
    [
      `${ROOT}bin/ganvas.mjs`,
      'export',
      'pytorch',
      `${ROOT}templates/${family}.json`,
      ...setArgs,
      '--out',
      out + name,
    ],
    { stdio: 'inherit' },
  );
  rmSync(`${out}${name}/data`, { recursive: true, force: true });
}
const tensors: Record<string, { shape: number[]; data: Uint8Array }> = {};
for (const size of [28, 32, 64]) {
  tensors[`train${size}`] = split(size, 'train');
  tensors[`test${size}`] = split(size, 'test');
}
writeBytes(`${out}mnist.safetensors.gz`, tensors);
copyFileSync(`${ROOT}models/digit-classifier.safetensors`, `${out}digit-classifier.safetensors`);
for (const file of readdirSync(HERE).filter((f) => f.endsWith('.py') || f.endsWith('.sh'))) {
  copyFileSync(HERE + file, out + file);
}
process.stdout.write(
  `staged ${[...families, ...variants.map((v) => v.name)].join(', ')} in ${out}\n`,
);
