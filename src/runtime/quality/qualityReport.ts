/**
 * What a quality measurement reports, as data the worker sends and the page draws: zod only, no
 * tfjs, so the page can import it.
 */
import { z } from 'zod';

const Figure = z.number().nonnegative();

/** One translating generator on held-out scenes with their true translations. */
export const TranslationFigures = z.strictObject({
  network: z.string(),
  direction: z.enum(['A→B', 'B→A']),
  /** Mean absolute error to the true translation, in [-1, 1] pixel units. */
  meanL1: Figure,
  /** The same for the untranslated input: what doing nothing scores. */
  identityL1: Figure,
  /** The same for a blank mid-grey image: what knowing nothing of the input scores. */
  blankL1: Figure,
  images: z.number().int().positive(),
});
export type TranslationFigures = z.infer<typeof TranslationFigures>;

/** Digits as the digit classifier sees them. */
export const DigitFigures = z.strictObject({
  /** Share of images read as one digit with probability above 0.9 (not as no digit at all). */
  confidentShare: z.number().min(0).max(1),
  /** Entropy in bits of the histogram of predicted digits: log2(10) ≈ 3.32 when all appear alike. */
  classEntropy: Figure,
  /** Fréchet distance to the held-out real digits in the classifier's 64 features. */
  frechetDistance: Figure,
  samples: z.number().int().positive(),
});
export type DigitFigures = z.infer<typeof DigitFigures>;

/** Why a run's quality is not measured: the page words it. */
export const Unmeasured = z.enum([
  /** The data has no true translations (a folder of unpaired photos), and it is not MNIST. */
  'no-true-translations',
  /** No generator is applied to the data's images (translation) or to noise (MNIST). */
  'no-generator',
]);
export type Unmeasured = z.infer<typeof Unmeasured>;

export const QualityReport = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('translation'), scores: z.array(TranslationFigures) }),
  z.strictObject({
    kind: z.literal('digits'),
    network: z.string(),
    generated: DigitFigures,
    /** The same figures for real held-out digits (one half against the other): the ceiling. */
    real: DigitFigures,
  }),
  z.strictObject({
    kind: z.literal('unmeasured'),
    why: Unmeasured,
    dataset: z.string(),
    /** What the data itself says about it: why a folder's testA/ and testB/ do not pair. */
    detail: z.string().optional(),
  }),
]);
export type QualityReport = z.infer<typeof QualityReport>;
