/** A trained network handed over as a TensorFlow.js graph model: model.json and weights in a zip. */
import { strToU8, zipSync } from 'fflate';
import { exportGraphModel } from '../export/graphModel';
import type { Trainer } from '../trainer';
import type { ExportedModel } from './protocol';

export async function exportNetwork(trainer: Trainer, networkId: string): Promise<ExportedModel> {
  const exported = await exportGraphModel(trainer, networkId);
  const modelJson = exported.files['model.json'];
  const weights = exported.files['weights.bin'];
  // Stored, not deflated: weights barely compress, and the zip is only a way to hand over two files.
  const zip = zipSync({ 'model.json': strToU8(modelJson), 'weights.bin': weights }, { level: 0 });
  return { networkId, zip, modelJson, weights };
}
