/**
 * How well a trained graph translates: on the built-in data every test image has its true
 * translation, so the mean L1 between G_A(test A) and the true B can be set against the identity
 * baseline (the mean L1 between test A itself and the true B). A folder of photos has no true
 * translations, so it cannot be scored this way.
 */
import { paramsOf } from '../nodes/kind';
import { DiscriminatorNode, GeneratorNode } from '../nodes/networkApplication';
import { imageCount, type TwoDomainDataset } from './data/builtin';
import type { Tensor } from '@tensorflow/tfjs';
import type { TrainingProgram } from './program';
import { EVALUATION_CALL } from './quality/evaluationCall';
import type { Trainer } from './trainer';

export interface TranslationScore {
  network: string;
  direction: 'A→B' | 'B→A';
  /** Mean absolute error between the translation and the truth, in [-1, 1] pixel units. */
  meanL1: number;
  /** The same for the untranslated input: what doing nothing scores. */
  identityL1: number;
  /** The same for a blank mid-grey image (all zeros): what knowing nothing of the input scores. */
  blankL1: number;
  images: number;
}

/**
 * The networks that translate a Dataset's real_A (A→B) or real_B (B→A): a generator applied to
 * real images whose output a discriminator judges (directly or through nodes that pass it on). The same
 * network applied to the other domain for an identity loss is not judged, so it does not count.
 */
export function translators(program: TrainingProgram): { network: string; from: 'A' | 'B' }[] {
  const datasets = new Set(program.nodes.filter((n) => n.behavior === 'dataset').map((n) => n.id));
  const consumers = (id: string) =>
    program.nodes.filter((n) =>
      Object.values(n.inputs).some((refs) => refs?.some((r) => r.node === id)),
    );
  // Judged directly, or through what only passes images on (an image pool, pix2pix's concat
  // of input and translation); another generator's application starts a different image.
  const judged = (id: string, seen = new Set<string>()): boolean =>
    consumers(id).some((n) => {
      if (n.kind === DiscriminatorNode.kind) return true;
      if (n.kind === GeneratorNode.kind || seen.has(n.id)) return false;
      seen.add(n.id);
      return judged(n.id, seen);
    });
  const found = new Map<string, 'A' | 'B'>();
  for (const node of program.nodes) {
    if (node.kind !== GeneratorNode.kind || !judged(node.id)) continue;
    const ref = node.inputs.in?.[0];
    if (!ref || !datasets.has(ref.node)) continue;
    if (ref.port === 'real_A' || ref.port === 'real_B') {
      found.set(paramsOf(GeneratorNode, node).network, ref.port === 'real_A' ? 'A' : 'B');
    }
  }
  return [...found].map(([network, from]) => ({ network, from }));
}

/** Throws when the dataset has no true translations (a folder of photos) or no test images. */
export async function translationQuality(
  trainer: Trainer,
  dataset: TwoDomainDataset,
  limit = dataset.testCount,
): Promise<TranslationScore[]> {
  const tf = trainer.tf;
  const testTruth = dataset.testTruth?.bind(dataset);
  if (!testTruth) {
    throw new Error(
      `${dataset.name}: this dataset has no true translations to score against (the built-in sets have them)`,
    );
  }
  const scores: TranslationScore[] = [];
  const size = dataset.size;
  for (const { network, from } of translators(trainer.program)) {
    let model = 0;
    let identity = 0;
    let blank = 0;
    const count = Math.min(limit, imageCount(dataset, 'test', from));
    if (count === 0) throw new Error(`${dataset.name}: no test images of domain ${from}`);
    for (let i = 0; i < count; i++) {
      const input = dataset.testImage(from, i);
      const truth = testTruth(from, i);
      const errors = tf.tidy(() => {
        const x = tf.tensor(input, [1, size, size, 3]);
        const t = tf.tensor(truth, [1, size, size, 3]);
        const y = trainer.runNetwork(network, x, true, EVALUATION_CALL);
        const l1 = (image: Tensor) => tf.mean(tf.abs(tf.sub(image, t)));
        return tf.stack([l1(y), l1(x), tf.mean(tf.abs(t))]);
      });
      const values = await errors.data();
      errors.dispose();
      model += values[0]!;
      identity += values[1]!;
      blank += values[2]!;
    }
    scores.push({
      network,
      direction: from === 'A' ? 'A→B' : 'B→A',
      meanL1: model / count,
      identityL1: identity / count,
      blankL1: blank / count,
      images: count,
    });
  }
  return scores;
}
