/**
 * Images as the page draws them: the images of a batch of [-1, 1] values, as RGBA bytes.
 */
import { valuesToRgba } from '../pixels';
import type { Trainer } from '../trainer';
import { SAMPLES_PER_BATCH, type SampleImage } from './protocol';

/**
 * The images of an NHWC batch (1 or 3 channels), up to SAMPLES_PER_BATCH, as a sample named
 * `id`: the first in `rgba`, the next in `more`.
 */
export function sampleImage(
  id: string,
  label: string,
  shape: readonly number[],
  values: Float32Array,
): SampleImage {
  const [batch, height, width, channels] = shape as [number, number, number, number];
  const size = height * width * channels;
  const image = (i: number) =>
    valuesToRgba(values.subarray(i * size, (i + 1) * size), width * height, channels);
  const count = Math.min(batch, SAMPLES_PER_BATCH);
  const sample: SampleImage = { id, label, width, height, rgba: image(0) };
  if (count > 1) sample.more = Array.from({ length: count - 1 }, (_, i) => image(i + 1));
  return sample;
}

/** What every Preview node showed at the trainer's last step. */
export async function previewSamples(
  trainer: Trainer,
  labels: ReadonlyMap<string, string>,
): Promise<SampleImage[]> {
  const images = await trainer.previewImages();
  return [...images].map(([id, t]) => sampleImage(id, labels.get(id) ?? id, t.shape, t.data));
}
