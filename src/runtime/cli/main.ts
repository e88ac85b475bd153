/**
 * `ganvas check | train | eval | translate`: the engine from the command line. A user's mistake is one clear
 * line and exit code 1, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { runCheck } from './check';
import { runEval } from './evaluate';
import { runTrain } from './train';
import { runTranslate } from './translate';
import { UsageError } from './errors';

const HELP = `ganvas: check, train and use GAN graphs

  ganvas check <graph.json> [--set name=value]... [--memory-budget 16GiB]
  ganvas train <graph.json> [--set name=value]... [--steps N] [--backend cpu|webgpu]
               [--memory-budget 16GiB]
               [--data builtin:<name>|<folder>|<file.zip>] [--init weights.safetensors]
               [--batch batch.safetensors] [--log file.jsonl] [--save weights.safetensors]
               [--seed N] [--checkpoint file.safetensors] [--checkpoint-every N]
               [--eval-every N]
  ganvas eval <graph.json> --init <weights.safetensors> --data builtin:<name> [--set name=value]...
  ganvas translate --checkpoint <file> --net <generator> --in <folder> --out <folder>
  ganvas translate <graph.json> --init <weights.safetensors> --net <generator> --in <folder>
                   --out <folder> [--set name=value]...

  A data folder holds trainA/ and trainB/ (testA/ and testB/ optional) of PNG or JPEG images.
  With --checkpoint, train resumes from the file when it exists, and writes it every
  --checkpoint-every steps (default 100) and at the end.
  check and train print each network's parameters and a training step's estimated memory, and
  refuse a graph over --memory-budget (default 16GiB; a bare number is GiB).
  With --eval-every N, train measures quality on the built-in held-out data every N steps (L1
  to the true translations, or a digit classifier's figures for MNIST) and logs it.
`;

/** `--set size=32` pairs, checked for their form; the graph checks names and types. */
export function parseSets(sets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set ${s}: expected name=value`);
    out[s.slice(0, eq)] = s.slice(eq + 1);
  }
  return out;
}

export function positiveInteger(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new UsageError(`${flag}: expected a non-negative integer, received "${text}"`);
  }
  return n;
}

/**
 * `--steps -3` as `--steps=-3`: parseArgs refuses an option value that starts with "-" (as
 * "ambiguous"), so the option's own check would never get to say what it expects.
 */
function joinNegativeValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    if (/^--[a-z-]+$/.test(args[i]!) && value !== undefined && /^-\d/.test(value)) {
      out.push(`${args[i]}=${value}`);
      i++;
    } else {
      out.push(args[i]!);
    }
  }
  return out;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 1;
  }
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(rest),
    allowPositionals: true,
    strict: true,
    options: {
      set: { type: 'string', multiple: true, default: [] },
      steps: { type: 'string' },
      backend: { type: 'string' },
      data: { type: 'string' },
      init: { type: 'string' },
      batch: { type: 'string' },
      log: { type: 'string' },
      save: { type: 'string' },
      seed: { type: 'string' },
      checkpoint: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'eval-every': { type: 'string' },
      'memory-budget': { type: 'string' },
      net: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const graph = positionals[0];
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const sets = parseSets(values.set ?? []);
  // A checkpoint carries its graph: translate needs a graph file only with --init.
  if (command === 'translate') return runTranslate(graph, sets, values);
  if (!graph)
    throw new UsageError(
      `${command}: expected a graph file, e.g. ganvas ${command} templates/cyclegan.json`,
    );
  switch (command) {
    case 'check':
      return runCheck(graph, sets, values['memory-budget']);
    case 'train':
      return runTrain(graph, sets, values);
    case 'eval':
      return runEval(graph, sets, values);
    default:
      throw new UsageError(`unknown command "${command}"; commands: check, train, eval, translate`);
  }
}

export async function run(argv: readonly string[]): Promise<void> {
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    // parseArgs reports unknown flags with a code; everything else a user can cause is a UsageError.
    const known =
      e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    // One line, whatever the message: parseArgs writes some of its messages on three.
    const message = (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');
    process.stderr.write(`ganvas: ${message}\n`);
    if (!known && process.env.GANVAS_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    code = 1;
  }
  // A WebGPU device keeps Node alive: leave explicitly.
  process.exit(code);
}
