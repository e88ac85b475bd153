/** A quality report in words: what the command line prints and the training panel says. */
import type { DigitFigures, QualityReport, TranslationFigures, Unmeasured } from './qualityReport';

/** Why a run's quality is not measured, and what would be. */
export function unmeasuredText(why: Unmeasured, dataset: string, detail?: string): string {
  const name = dataset || 'this graph';
  return why === 'no-true-translations'
    ? `${name} has no true translations to score against${detail ? ` (${detail})` : ''}: quality is measured on MNIST digits generated from noise (a digit classifier's score) and on data with true translations (the built-in scenes, or a folder whose testA/ and testB/ hold paired images of the same names: L1 to the truth), not here.`
    : `${name}: no generator here is applied to the data's images (or, for MNIST, to noise) and judged by a discriminator, so there is nothing to score.`;
}

export function translationLine(s: TranslationFigures): string {
  const gain = ((1 - s.meanL1 / s.identityL1) * 100).toFixed(1);
  return `${s.network} (${s.direction}): mean L1 to the true translation ${s.meanL1.toFixed(4)}, identity baseline ${s.identityL1.toFixed(4)} (${gain}% better), blank baseline ${s.blankL1.toFixed(4)}, ${s.images} test images`;
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export function digitLine(network: string, generated: DigitFigures, real: DigitFigures): string {
  return `${network}: ${percent(generated.confidentShare)} of ${generated.samples} digits classified confidently (real ${percent(real.confidentShare)}), class entropy ${generated.classEntropy.toFixed(2)} bits (real ${real.classEntropy.toFixed(2)}, at most 3.32), Fréchet distance ${generated.frechetDistance.toFixed(2)} (real halves ${real.frechetDistance.toFixed(2)})`;
}

export function qualityLines(report: QualityReport): string[] {
  switch (report.kind) {
    case 'translation':
      return report.scores.map(translationLine);
    case 'digits':
      return [digitLine(report.network, report.generated, report.real)];
    case 'unmeasured':
      return [unmeasuredText(report.why, report.dataset, report.detail)];
  }
}
