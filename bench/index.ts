/**
 * `npm run bench [-- --steps N]`: how long the engine takes.
 *   (a) compile time of templates/cyclegan.json (parse, resolve, infer, compile) at 256 and 32,
 *       median of 20 runs, in this process;
 *   (b) one whole CycleGAN training step (64×64, ngf = ndf = 16, 2 blocks, built-in data) per
 *       backend, each in its own process (bench/stepBench.ts: the backends do not mix, and WebGPU
 *       keeps its process alive): median of N steps after 2 warm-ups, and tfjs memory after;
 *   (c) the PyTorch reference's step (bench/gpu/cyclegan_ref.py) at the same size, when /usr/bin/python3 has torch, and the
 *       exported PyTorch project's (bench/exportedPyTorch.ts);
 *   (d) the check of a network body of 1,000, 4,000 and 10,000 layers (bench/checkLarge.ts);
 *   (e) per backend, what one step at 32×32 (ngf = ndf = 8) asks of it at 2 and 9 blocks: tfjs
 *       kernels, GPU dispatches, buffer copies and host reads, beside that step's time
 *       (bench/stepCounts.ts, each in its own process).
 * Prints a table and writes bench-results/latest.json.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compileGraph } from '../src/runtime/compile';
import { CHECK_RUNS, type CheckFigure } from './checkLarge';
import { exportedStepTime } from './exportedPyTorch';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const REFERENCE = fileURLToPath(new URL('./gpu/cyclegan_ref.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const COMPILE_RUNS = 20;
const STEP_CONFIG = { size: 64, ngf: 16, ndf: 16, n_blocks: 2 };

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    steps: { type: 'string', default: '5' },
    /** Per backend, in seconds: a software GPU step can take a minute. */
    timeout: { type: 'string', default: '1800' },
    backends: { type: 'string', default: 'cpu,webgpu' },
    /** Residual blocks of the counted steps (e). */
    'count-blocks': { type: 'string', default: '2,9' },
  },
});
const steps = Number(values.steps);
const timeoutMs = Number(values.timeout) * 1000;
if (!Number.isInteger(steps) || steps < 1) {
  throw new Error(`--steps: expected a positive integer, received "${values.steps}"`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface CompileFigure {
  size: number;
  medianMs: number;
  firstMs: number;
}

function compileTimes(size: number): CompileFigure {
  const text = readFileSync(new URL('../templates/cyclegan.json', import.meta.url), 'utf8');
  const times: number[] = [];
  for (let i = 0; i < COMPILE_RUNS; i++) {
    const started = performance.now();
    const compiled = compileGraph(text, { size });
    times.push(performance.now() - started);
    if (!compiled.ok) throw new Error(`the template does not compile at size ${size}`);
  }
  return { size, medianMs: median(times), firstMs: times[0]! };
}

interface StepFigure {
  backend: string;
  adapter?: string;
  medianMs?: number;
  stepMs?: number[];
  warmUpMs?: number[];
  memory?: { numTensors: number; numBytes: number; numBytesInGPUAllocated?: number };
  error?: string;
}

/** Runs a command and resolves with its stdout's last JSON line, or an error figure. */
function lastJsonLine(
  file: string,
  args: string[],
  timeout: number,
): Promise<Record<string, unknown> & { error?: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, timeout, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const line = stdout
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.startsWith('{'));
      if (line) {
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
          return;
        } catch {
          // Fall through to the error below.
        }
      }
      const why = error?.killed
        ? `timed out after ${timeout / 1000} s`
        : (stderr.trim().split('\n').at(-1) ?? error?.message ?? 'no output');
      resolve({ error: why });
    });
  });
}

async function stepTime(backend: string): Promise<StepFigure> {
  const result = await lastJsonLine(
    process.execPath,
    ['--import', 'tsx', 'bench/stepBench.ts', backend, '--steps', String(steps)],
    timeoutMs,
  );
  return { backend, ...result } as StepFigure;
}

interface ReferenceFigure {
  medianMs?: number;
  minMs?: number;
  torch?: string;
  error?: string;
}

async function referenceTime(): Promise<ReferenceFigure | undefined> {
  let torch: string;
  try {
    torch = execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
  const args = [REFERENCE, '--bench', String(steps)];
  for (const [name, value] of Object.entries(STEP_CONFIG)) args.push(`--${name}`, String(value));
  const result = await lastJsonLine(PYTHON, args, timeoutMs);
  if (result.error) return { torch, error: result.error };
  return {
    torch,
    medianMs: (result.median_step_s as number) * 1000,
    minMs: (result.min_step_s as number) * 1000,
  };
}

const ms = (v: number | undefined) =>
  v === undefined ? '-' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

// Other processes share the cores: the load average says how much the figures may suffer.
const loadBefore = loadavg()[0]!;
const compile = [compileTimes(256), compileTimes(32)];
// In a process of its own: it measures under zod's jitless mode, set before any schema is built.
const checks = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/checkLarge.ts', '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  }),
) as CheckFigure[];
// One at a time: concurrent runs would share the cores and slow each other down.
const backends: StepFigure[] = [];
for (const backend of values.backends.split(',')) backends.push(await stepTime(backend));
const reference = await referenceTime();
const exported = await exportedStepTime(STEP_CONFIG, steps);
const counted: (Record<string, unknown> & { error?: string })[] = [];
for (const backend of values.backends.split(',')) {
  for (const blocks of values['count-blocks'].split(',')) {
    const args = ['--import', 'tsx', 'bench/stepCounts.ts', backend, '--blocks', blocks];
    counted.push({ backend, blocks, ...(await lastJsonLine(process.execPath, args, timeoutMs)) });
  }
}

const rows: string[][] = [['measure', 'median', 'detail']];
for (const c of compile) {
  rows.push([
    `compile cyclegan.json at ${c.size}`,
    ms(c.medianMs),
    `${COMPILE_RUNS} runs; first ${ms(c.firstMs)}`,
  ]);
}
for (const c of checks) {
  rows.push([
    `check a network body of ${c.layers} layers`,
    ms(c.medianMs),
    `${CHECK_RUNS} runs after the first; first ${ms(c.firstMs)}`,
  ]);
}
const stepLabel = `step 64×64 ngf ${STEP_CONFIG.ngf} ndf ${STEP_CONFIG.ndf} ${STEP_CONFIG.n_blocks} blocks`;
for (const b of backends) {
  if (b.error) {
    rows.push([`${stepLabel}, ${b.backend}`, 'failed', b.error]);
    continue;
  }
  const memory = b.memory!;
  const gpu =
    memory.numBytesInGPUAllocated !== undefined
      ? `, ${mib(memory.numBytesInGPUAllocated)} allocated on the GPU`
      : '';
  rows.push([
    `${stepLabel}, ${b.backend}`,
    ms(b.medianMs),
    `${steps} steps after 2 warm-ups; then ${memory.numTensors} tensors, ${mib(memory.numBytes)}${gpu}${b.adapter ? `; adapter ${b.adapter}` : ''}`,
  ]);
}
if (reference) {
  rows.push([
    `${stepLabel}, PyTorch ${reference.torch} cpu (reference)`,
    reference.error ? 'failed' : ms(reference.medianMs),
    reference.error ?? `${steps} steps after 2 warm-ups; min ${ms(reference.minMs)}`,
  ]);
} else {
  rows.push([`${stepLabel}, PyTorch (reference)`, '-', `no torch in ${PYTHON}`]);
}
rows.push([
  `${stepLabel}, exported PyTorch project cpu`,
  exported.error ? 'failed' : ms(exported.medianMs),
  exported.error ?? `${steps} steps after 2 warm-ups (ganvas export pytorch; train.py --batch)`,
]);
for (const c of counted) {
  const label = `step 32×32 ngf 8 ndf 8 ${c.blocks} blocks, ${c.backend}: kernels / dispatches`;
  if (c.error) {
    rows.push([label, 'failed', c.error]);
    continue;
  }
  rows.push([
    label,
    ms(c.stepMs as number),
    `${c.kernels as number} kernels, ${c.dispatches as number} GPU dispatches, ` +
      `${c.copies as number} buffer copies, ${c.hostReads as number} host reads per step`,
  ]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const table = rows.map((r) =>
  r
    .map((cell, i) => cell.padEnd(widths[i]!))
    .join('  ')
    .trimEnd(),
);
table.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
process.stdout.write(table.join('\n') + '\n');
process.stdout.write(
  `load average (1 min) ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after, on ${cpus().length} cores\n`,
);

const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    loadAverage: { before: loadBefore, after: loadavg()[0]! },
  },
  steps,
  compile,
  check: checks,
  step: { config: STEP_CONFIG, backends, reference: reference ?? null, exported },
  counts: counted,
};
mkdirSync(new URL('../bench-results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('../bench-results/latest.json', import.meta.url),
  JSON.stringify(results, null, 2) + '\n',
);
process.stdout.write('written to bench-results/latest.json\n');
