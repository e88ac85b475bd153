import { describeChange, diffGraphs } from '../../graph/diff';
import { UsageError } from './errors';
import { readGraphDocument } from './files';

/**
 * `ganvas diff a.json b.json`: what differs between two graphs, one change a line, as the
 * Compare view says it. Exit 0 when they train the same, 1 when they differ (as `diff` does).
 */
export function runDiff(files: readonly string[]): number {
  const [a, b, extra] = files;
  if (!a || !b)
    throw new UsageError('diff: expected two graph files, e.g. ganvas diff a.json b.json');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const changes = diffGraphs(
    { document: readGraphDocument(a) },
    { document: readGraphDocument(b) },
  );
  if (changes.length === 0) {
    process.stdout.write(`${a} and ${b} train the same\n`);
    return 0;
  }
  process.stdout.write(changes.map((c) => `${describeChange(c)}\n`).join(''));
  return 1;
}
