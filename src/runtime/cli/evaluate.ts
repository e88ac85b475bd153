import { builtinResolver } from '../data/batches';
import { QualityProbe } from '../quality/qualityProbe';
import { qualityLines } from '../quality/qualityWords';
import { UsageError } from './errors';
import { readGraphDocument } from './files';
import { loadDatasets, openSession, type SessionOptions } from './session';

/**
 * Prints the quality of a trained graph on held-out data (a built-in set, or a folder whose test
 * images pair): each translating network's L1 to the true translations, or an MNIST generator's
 * digit-classifier figures.
 */
export async function runEval(
  file: string,
  sets: Record<string, string>,
  options: SessionOptions,
): Promise<number> {
  if (!options.init) throw new UsageError('eval: --init <weights.safetensors> is required');
  const data = options.data;
  if (!data) {
    throw new UsageError(
      'eval: --data is required: a built-in set (builtin:daynight, builtin:mnist...) or a folder whose testA/ and testB/ pair by file name',
    );
  }
  const session = await openSession(
    { label: file, document: readGraphDocument(file) },
    sets,
    options,
    'run',
  );
  if (!session.program.nodes.some((n) => n.behavior === 'dataset')) {
    throw new UsageError(`${file}: the graph has no Dataset node to evaluate on`);
  }
  // Folders are read now: the session only applies networks, so it loaded no data.
  const datasets = data.startsWith('builtin:')
    ? builtinResolver
    : await loadDatasets(session.program, data);
  const probe = new QualityProbe(session.trainer, datasets, {
    sourceOverride: data,
    // every test scene, not the few a run measures every N steps
    scenes: Number.MAX_SAFE_INTEGER,
  });
  let report;
  try {
    report = await probe.measure();
  } catch (e) {
    throw new UsageError(`--data: ${(e as Error).message}`);
  } finally {
    probe.dispose();
  }
  if (report.kind === 'unmeasured') {
    const hint = data.startsWith('builtin:')
      ? ''
      : '; ganvas translate shows what a generator makes of it';
    throw new UsageError(`${file}: ${qualityLines(report)[0]}${hint}`);
  }
  for (const line of qualityLines(report)) process.stdout.write(line + '\n');
  session.trainer.dispose();
  return 0;
}
