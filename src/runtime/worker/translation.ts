/**
 * A trained generator applied to one image file: decoded, resized to the size the network was
 * trained on, translated; both sides returned as samples and as exact values.
 */
import { readImageEntry, type ImageDecoder } from '../data/folder';
import { resizeToRgb } from '../data/imageResize';
import { rgbToValues } from '../pixels';
import { networkInputShape } from '../program';
import type { Trainer } from '../trainer';
import type { Translation } from './protocol';
import { sampleImage } from './sampleImages';

export async function translateImage(
  trainer: Trainer,
  networkId: string,
  image: Blob,
  decode: ImageDecoder | undefined,
): Promise<Translation> {
  const tf = trainer.tf;
  if (!trainer.program.networks.some((n) => n.id === networkId)) {
    throw new Error(`no network "${networkId}" in the trained graph`);
  }
  if (!decode) throw new Error('this session cannot decode images: it was given no decoder');
  const read = await readImageEntry(
    { path: 'image', bytes: async () => new Uint8Array(await image.arrayBuffer()) },
    decode,
  );
  if (!read.ok) throw new Error(`the image cannot be read: ${read.reason}`);
  const shape = networkInputShape(trainer.program, networkId);
  const channels = shape?.[3];
  if (shape?.length !== 4 || (channels !== 1 && channels !== 3)) {
    throw new Error(`network "${networkId}" does not take images`);
  }
  const [, height, width] = shape as [number, number, number, number];
  const inputValues = rgbToValues(resizeToRgb(read.image, width, height), channels);
  const inputShape = [1, height, width, channels];
  const output = tf.tidy(() =>
    trainer.runNetwork(networkId, tf.tensor(inputValues, inputShape), false),
  );
  const outputValues = (await output.data()) as Float32Array;
  const outputShape = [...output.shape];
  output.dispose();
  if (outputShape.length !== 4) throw new Error(`network "${networkId}" does not give images`);
  return {
    networkId,
    input: sampleImage('input', 'input', inputShape, inputValues),
    output: sampleImage('output', `${networkId}(input)`, outputShape, outputValues),
    inputValues,
    outputValues,
    shape: outputShape,
  };
}
