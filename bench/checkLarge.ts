/**
 * `npx tsx bench/checkLarge.ts`: how long the check (parse aside: resolve, infer, the training
 * checks) takes for a network body of 1,000, 4,000 and 10,000 layers (Conv, InstanceNorm and
 * Activation in turn, applied once in a training graph), which the editor runs on the page thread
 * at open and at every edit. Median of a few runs after the first (which warms up), and the
 * first; `npm run bench` prints it too (`--json` prints the figures as JSON, for it).
 *
 * Under zod's jitless mode, as the page and its check worker run (their Content-Security-Policy
 * forbids the code zod would otherwise compile): imported first, before any schema is built, so
 * this runs in a process of its own.
 */
import '../src/withoutEval';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DEVICE_LIMITS } from '../src/graph/budget';
import { checkDocument } from '../src/graph/check';
import { largeBodyDocument } from '../test/graph/largeBody';

const SIZES = [1000, 4000, 10_000];
export const CHECK_RUNS = 5;

export interface CheckFigure {
  layers: number;
  medianMs: number;
  firstMs: number;
  /** CPU time (the collector's threads included): what the check costs, whatever else runs. */
  medianCpuMs: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

export function checkTimes(): CheckFigure[] {
  return SIZES.map((layers) => {
    const doc = largeBodyDocument(layers);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i <= CHECK_RUNS; i++) {
      const started = performance.now();
      const cpu = process.cpuUsage();
      // Deep bodies need more memory than the default budget: the check of the budget is timed too.
      const { valid } = checkDocument(doc, {}, { ...DEFAULT_DEVICE_LIMITS, memoryBytes: 2 ** 50 });
      const { user, system } = process.cpuUsage(cpu);
      times.push(performance.now() - started);
      cpuTimes.push((user + system) / 1000);
      if (!valid) throw new Error(`the ${layers}-layer body does not check`);
    }
    return {
      layers,
      medianMs: median(times.slice(1)),
      firstMs: times[0]!,
      medianCpuMs: median(cpuTimes.slice(1)),
    };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(checkTimes()) + '\n');
    process.exit(0);
  }
  for (const { layers, medianMs, firstMs, medianCpuMs } of checkTimes()) {
    process.stdout.write(
      `check, body of ${layers} layers: ${medianMs.toFixed(1)} ms (median of ${CHECK_RUNS}; first ${firstMs.toFixed(1)} ms; CPU ${medianCpuMs.toFixed(1)} ms)\n`,
    );
  }
}
