import { builtinResolver, datasetParamsOf } from '../data/batches';
import { translationQuality } from '../translationQuality';
import { UsageError } from './errors';
import { readGraphDocument } from './files';
import { openSession, type SessionOptions } from './session';

/** Prints the translation quality of every translating network on the built-in test images. */
export async function runEval(
  file: string,
  sets: Record<string, string>,
  options: SessionOptions,
): Promise<number> {
  if (!options.init) throw new UsageError('eval: --init <weights.safetensors> is required');
  if (!options.data) throw new UsageError('eval: --data builtin:<name> is required');
  if (!options.data.startsWith('builtin:')) {
    throw new UsageError(
      `--data ${options.data}: this dataset has no true translations to score against (the built-in sets have them); ganvas translate shows what a generator makes of it`,
    );
  }
  const session = await openSession(
    { label: file, document: readGraphDocument(file) },
    sets,
    options,
    'run',
  );
  const dataset = session.program.nodes.find((n) => n.behavior === 'dataset');
  if (!dataset) throw new UsageError(`${file}: the graph has no Dataset node to evaluate on`);
  let data;
  try {
    data = builtinResolver(options.data, datasetParamsOf(dataset).size);
  } catch (e) {
    throw new UsageError(`--data: ${(e as Error).message}`);
  }
  const scores = await translationQuality(session.trainer, data);
  if (scores.length === 0)
    throw new UsageError(`${file}: no generator is applied to the dataset's images`);
  for (const s of scores) {
    const gain = ((1 - s.meanL1 / s.identityL1) * 100).toFixed(1);
    process.stdout.write(
      `${s.network} (${s.direction}): mean L1 to the true translation ${s.meanL1.toFixed(4)}, identity baseline ${s.identityL1.toFixed(4)} (${gain}% better), ${s.images} test images\n`,
    );
  }
  session.trainer.dispose();
  return 0;
}
