/**
 * `ganvas check | train | eval | translate | export | diff`: the engine from the command line. A user's mistake is one clear
 * line and exit code 1, never a stack trace.
 */
import { parseArgs } from 'node:util';
import { runCheck } from './check';
import { runDiff } from './diff';
import { runEval } from './evaluate';
import { runExport } from './export';
import { runTrain } from './train';
import { runTranslate } from './translate';
import { UsageError } from './errors';
import { commandHelp, overview, COMMAND_USAGE } from './usage';

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

function unknownCommand(command: string): string {
  return `unknown command "${command}"; commands: ${Object.keys(COMMAND_USAGE).join(', ')}`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(overview());
    return command ? 0 : 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    const help = commandHelp(command);
    if (!help) throw new UsageError(unknownCommand(command));
    process.stdout.write(help);
    return 0;
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
      layers: { type: 'boolean', default: false },
      net: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
    },
  });
  // Two graphs, and a difference exits 1 as diff(1) does.
  if (command === 'diff') return runDiff(positionals);
  const sets = parseSets(values.set ?? []);
  if (command === 'export') return runExport(positionals, sets, values);
  const graph = positionals[0];
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  // A checkpoint carries its graph: translate needs a graph file only with --init.
  if (command === 'translate') return runTranslate(graph, sets, values);
  if (!graph)
    throw new UsageError(
      `${command}: expected a graph file, e.g. ganvas ${command} templates/cyclegan.json`,
    );
  switch (command) {
    case 'check':
      return runCheck(graph, sets, values['memory-budget'], values.layers);
    case 'train':
      return runTrain(graph, sets, values);
    case 'eval':
      return runEval(graph, sets, values);
    default:
      throw new UsageError(unknownCommand(command));
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
