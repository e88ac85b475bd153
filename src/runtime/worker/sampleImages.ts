/**
 * Images as the page draws them: the first image of a batch of [-1, 1] values, as RGBA bytes.
 */
import { valuesToRgba } from '../pixels';
import type { Trainer } from '../trainer';
import type { SampleImage } from './protocol';

/** The first image of an NHWC batch (1 or 3 channels) as a sample named `id`. */
export function sampleImage(
  id: string,
  label: string,
  shape: readonly number[],
  values: Float32Array,
): SampleImage {
  const [, height, width, channels] = shape as [number, number, number, number];
  return { id, label, width, height, rgba: valuesToRgba(values, width * height, channels) };
}

/** What every Preview node showed at the trainer's last step. */
export async function previewSamples(
  trainer: Trainer,
  labels: ReadonlyMap<string, string>,
): Promise<SampleImage[]> {
  const images = await trainer.previewImages();
  return [...images].map(([id, t]) => sampleImage(id, labels.get(id) ?? id, t.shape, t.data));
}
