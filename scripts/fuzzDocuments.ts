/**
 * The document fuzz test, as many runs as asked: `npx tsx scripts/fuzzDocuments.ts --count
 * 100000 --seed 1`. Prints each failure with the seed and template that reproduce it, and the
 * slowest run; exits 1 when anything failed.
 */
import { parseArgs } from 'node:util';
import { fuzzDocuments } from '../test/graph/documentFuzz';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
  },
});
const count = Number(values.count);
const seed = Number(values.seed);
if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: npx tsx scripts/fuzzDocuments.ts [--count N] [--seed S]');
  process.exit(2);
}
const started = performance.now();
const report = fuzzDocuments({ count, seed });
for (const f of report.failures) console.log(`seed ${f.seed} (${f.template}): ${f.what}`);
const { compiled, parseRefused, checkRefused } = report.outcomes;
console.log(
  `${report.runs} mutations from seed ${seed} in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
    `${compiled} compiled, ${parseRefused} refused by parse, ${checkRefused} by the checks; ` +
    `${report.failures.length} failures; slowest ${report.slowestMs.toFixed(0)} ms ` +
    `(seed ${report.slowest.seed}, ${report.slowest.template})`,
);
process.exit(report.failures.length > 0 ? 1 : 0);
