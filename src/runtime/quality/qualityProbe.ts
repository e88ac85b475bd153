/**
 * A run's quality, measured on a fixed held-out set, the same every time it is asked: what the
 * worker sends every N steps and `ganvas train --eval-every` logs. Which measure applies follows
 * from the program and its data: MNIST digits generated from noise are scored by the digit
 * classifier; translations of data with true translations (the built-in scenes) by their L1 to
 * the truth; anything else is reported as not measured, and why.
 */
import { paramsOf, type TF, type Tensor } from '../../nodes/kind';
import { DiscriminatorNode, GeneratorNode } from '../../nodes/networkApplication';
import { NoiseNode } from '../../nodes/Noise';
import {
  DataBatchSource,
  datasetParamsOf,
  loadSizeOf,
  type DatasetResolver,
} from '../data/batches';
import type { TwoDomainDataset } from '../data/builtin';
import { createRandom } from '../data/random';
import type { ProgramNode, TrainingProgram } from '../program';
import type { Trainer } from '../trainer';
import { translationQuality, translators } from '../translationQuality';
import { loadDigitClassifier, type DigitClassifier } from './digitClassifier';
import { EVALUATION_CALL } from './evaluationCall';
import { digitFigures, digitStatistics, pickReadings, readDigits } from './digitQuality';
import type { FeatureStatistics } from './frechetDistance';
import type { DigitFigures, QualityReport } from './qualityReport';

/** Generated digits scored per measurement: the same noise vectors every time. */
export const HELD_OUT_NOISE = 256;
/** Held-out scenes translated per measurement (of the 50 each built-in set has). */
export const HELD_OUT_SCENES = 16;
const NOISE_SEED = 0x5eed;

/** The generator applied to noise whose output a discriminator judges: an MNIST GAN's G. */
export function noiseGenerator(
  program: TrainingProgram,
): { network: string; noise: ProgramNode } | undefined {
  for (const node of program.nodes) {
    if (node.kind !== GeneratorNode.kind) continue;
    const noise = program.nodes.find(
      (n) => n.behavior === 'noise' && n.id === node.inputs.in?.[0]?.node,
    );
    const judged = program.nodes.some(
      (n) => n.kind === DiscriminatorNode.kind && n.inputs.in?.some((r) => r.node === node.id),
    );
    if (noise && judged) return { network: paramsOf(GeneratorNode, node).network, noise };
  }
  return undefined;
}

export interface QualityProbeOptions {
  /** Replaces the Dataset node's source, as the command line's --data does for training. */
  sourceOverride?: string;
  /** Held-out scenes translated per measurement; HELD_OUT_SCENES by default. */
  scenes?: number;
  loadClassifier?: (tf: TF) => Promise<DigitClassifier>;
}

interface DigitReference {
  statistics: FeatureStatistics;
  real: DigitFigures;
}

export class QualityProbe {
  private classifier?: DigitClassifier;
  private reference?: DigitReference;

  constructor(
    private readonly trainer: Trainer,
    private readonly resolveDataset: DatasetResolver,
    private readonly options: QualityProbeOptions = {},
  ) {}

  private dataset(): { source: string; dataset: TwoDomainDataset } | undefined {
    const node = this.trainer.program.nodes.find((n) => n.behavior === 'dataset');
    if (!node) return undefined;
    const source = this.options.sourceOverride ?? datasetParamsOf(node).source;
    return { source, dataset: this.resolveDataset(source, loadSizeOf(node)) };
  }

  async measure(): Promise<QualityReport> {
    const data = this.dataset();
    const generator = noiseGenerator(this.trainer.program);
    if (data?.source === 'builtin:mnist') {
      if (!generator) return { kind: 'unmeasured', why: 'no-generator', dataset: data.source };
      return this.digits(generator, data.dataset);
    }
    if (!data?.dataset.testTruth) {
      const detail = data?.dataset.whyNoTruth;
      return {
        kind: 'unmeasured',
        why: 'no-true-translations',
        dataset: data?.source ?? '',
        ...(detail ? { detail } : {}),
      };
    }
    if (translators(this.trainer.program).length === 0) {
      return { kind: 'unmeasured', why: 'no-generator', dataset: data.source };
    }
    const scores = await translationQuality(
      this.trainer,
      data.dataset,
      this.options.scenes ?? HELD_OUT_SCENES,
    );
    return { kind: 'translation', scores };
  }

  private async digits(
    generator: { network: string; noise: ProgramNode },
    dataset: TwoDomainDataset,
  ): Promise<QualityReport> {
    const tf = this.trainer.tf;
    this.classifier ??= await (this.options.loadClassifier ?? loadDigitClassifier)(tf);
    const reference = (this.reference ??= await this.realDigits(dataset));
    const { batchSize } = paramsOf(NoiseNode, generator.noise);
    const noise = new DataBatchSource().next(
      { ...generator.noise, params: { ...generator.noise.params, batchSize: HELD_OUT_NOISE } },
      createRandom(NOISE_SEED),
    ).out!;
    const dim = noise.shape[1]!;
    const images = tf.tidy(() => {
      const all = tf.tensor(noise.data, noise.shape);
      const parts: Tensor[] = [];
      // Batches of the size trained: batch norm sees the statistics it learned with.
      for (let i = 0; i < HELD_OUT_NOISE; i += batchSize) {
        const n = Math.min(batchSize, HELD_OUT_NOISE - i);
        const z = tf.slice(all, [i, 0], [n, dim]);
        parts.push(this.trainer.runNetwork(generator.network, z, true, EVALUATION_CALL));
      }
      return tf.concat(parts);
    });
    try {
      const readings = await readDigits(tf, this.classifier, images);
      return {
        kind: 'digits',
        network: generator.network,
        generated: digitFigures(readings, reference.statistics),
        real: reference.real,
      };
    } finally {
      images.dispose();
    }
  }

  /** The held-out real digits' statistics, and their figures: even against odd test digits. */
  private async realDigits(dataset: TwoDomainDataset): Promise<DigitReference> {
    const tf = this.trainer.tf;
    const size = dataset.size;
    const count = dataset.testCount;
    const pixels = size * size * 3;
    const data = new Float32Array(count * pixels);
    for (let i = 0; i < count; i++) data.set(dataset.testImage('A', i), i * pixels);
    const images = tf.tensor(data, [count, size, size, 3]);
    const readings = await readDigits(tf, this.classifier!, images).finally(() => images.dispose());
    const even = Array.from({ length: Math.ceil(count / 2) }, (_, i) => 2 * i);
    const odd = Array.from({ length: Math.floor(count / 2) }, (_, i) => 2 * i + 1);
    return {
      statistics: digitStatistics(readings),
      real: digitFigures(
        pickReadings(readings, even),
        digitStatistics(pickReadings(readings, odd)),
      ),
    };
  }

  dispose(): void {
    this.classifier?.dispose();
  }
}
