/**
 * Runs exported PyTorch projects from tests and the benchmark: export a graph to a temporary
 * folder, run its train.py with Debian's python3-torch, read the JSON-lines logs that it and
 * `ganvas train` write.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VariableValue } from '../../src/graph/expression';
import { main } from '../../src/runtime/cli/main';
import { compileGraph } from '../../src/runtime/compile';
import { createRandom } from '../../src/runtime/data/random';
import { exportPyTorchProject } from '../../src/runtime/export/pytorch/project';
import { writeSafeTensors } from '../../src/runtime/safetensors';

export const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));
export const PARITY = fileURLToPath(new URL('../fixtures/parity/', import.meta.url));

/** The Python with PyTorch: Debian's python3-torch is /usr/bin/python3's, whatever PATH says. */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export function readTemplate(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${TEMPLATES}${name}.json`, 'utf8')) as Record<string, unknown>;
}

export function temporaryFolder(label: string): string {
  return mkdtempSync(join(tmpdir(), `ganvas-export-${label}-`));
}

/** Exports the document into `folder` (no built-in data: these runs use --batch or --dataroot). */
export function exportTo(
  folder: string,
  document: unknown,
  sets: Record<string, VariableValue>,
): void {
  const project = exportPyTorchProject(document as never, sets);
  mkdirSync(folder, { recursive: true });
  for (const [path, contents] of project.files) writeFileSync(join(folder, path), contents);
}

export interface LogLine {
  step: number;
  losses: Record<string, number>;
  stepMs: number;
}

export function readLog(file: string): LogLine[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LogLine);
}

/**
 * Runs train.py in the project with the arguments (under `launcher`, e.g. torchrun, when given);
 * rejects with its output when it fails.
 */
export function runTrainPy(
  folder: string,
  args: readonly string[],
  launcher: readonly string[] = [],
): Promise<string> {
  const command = [
    PYTHON,
    ...launcher,
    'train.py',
    '--num_workers',
    '0',
    '--save_every',
    '0',
    ...args,
  ];
  return new Promise((resolve, reject) => {
    execFile(
      command[0]!,
      command.slice(1),
      { cwd: folder, env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 24 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command.join(' ')} failed:\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** Runs a Python snippet in the project folder, returning its standard output. */
export function runPython(folder: string, code: string): string {
  return execFileSync(PYTHON, ['-c', code], {
    cwd: folder,
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
}

function setArgs(sets: Record<string, VariableValue>): string[] {
  return Object.entries(sets).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
}

/** `ganvas train` with these arguments, in this process; throws when it does not succeed. */
export async function ganvasTrain(
  graph: string,
  sets: Record<string, VariableValue>,
  args: readonly string[],
): Promise<void> {
  const code = await main(['train', graph, ...setArgs(sets), ...args]);
  if (code !== 0) throw new Error(`ganvas train exited with ${code}`);
}

/**
 * A batch for every data node of the graph (images N×H×W×C in [-1, 1], noise N×D normal), named
 * by port as `--batch` wants, drawn from a seeded stream.
 */
export function writeRandomBatch(
  file: string,
  document: unknown,
  sets: Record<string, VariableValue>,
  seed: number,
): void {
  const compiled = compileGraph(document, sets);
  if (!compiled.ok) throw new Error(compiled.problems.map((p) => p.message).join('\n'));
  const random = createRandom(seed);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const node of compiled.program.nodes) {
    if (node.behavior !== 'dataset' && node.behavior !== 'noise') continue;
    for (const [port, shape] of Object.entries(node.outputShapes)) {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < data.length; i++) {
        data[i] = node.behavior === 'noise' ? random.normal() : random.next() * 2 - 1;
      }
      tensors.set(port, { shape: [...shape], data });
    }
  }
  writeFileSync(file, writeSafeTensors(tensors));
}

/** |a - b| / |b|, where two zeros (terms weighted 0) agree exactly. */
export function relativeDifference(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.abs(b);
}
