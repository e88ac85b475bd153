import { builtinResolver } from '../data/batches';
import { QualityProbe } from '../quality/qualityProbe';
import { qualityLines } from '../quality/qualityWords';
import { UsageError } from './errors';
import { readGraphDocument } from './files';
import { openSession, type SessionOptions } from './session';

/**
 * Prints the quality of a trained graph on the built-in held-out data: each translating network's
 * L1 to the true translations, or an MNIST generator's digit-classifier figures.
 */
export async function runEval(
  file: string,
  sets: Record<string, string>,
  options: SessionOptions,
): Promise<number> {
  if (!options.init) throw new UsageError('eval: --init <weights.safetensors> is required');
  const data = options.data;
  if (!data) throw new UsageError('eval: --data builtin:<name> is required');
  if (!data.startsWith('builtin:')) {
    throw new UsageError(
      `--data ${data}: this dataset has no true translations to score against (the built-in sets have them); ganvas translate shows what a generator makes of it`,
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
  const probe = new QualityProbe(session.trainer, builtinResolver, {
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
  if (report.kind === 'unmeasured') throw new UsageError(`${file}: ${qualityLines(report)[0]}`);
  for (const line of qualityLines(report)) process.stdout.write(line + '\n');
  session.trainer.dispose();
  return 0;
}
