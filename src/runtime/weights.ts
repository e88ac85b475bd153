/**
 * Weights in and out, named as the reference implementation's state_dict
 * (`G_A.model.1.weight`, PyTorch layouts): how people bring checkpoints from that implementation.
 */
import { torchToTfjs, tfjsToTorch } from './layouts';
import type { SafeTensorsFile } from './safetensors';
import type { Trainer } from './trainer';

export interface WeightImport {
  loaded: string[];
  /** Weights of the program the file does not have. */
  missing: string[];
  /** Tensors of the file the program has no weight for (e.g. num_batches_tracked). */
  unused: string[];
  /** Tensors present but unusable: wrong shape or dtype. */
  problems: string[];
}

export function importTorchWeights(trainer: Trainer, file: SafeTensorsFile): WeightImport {
  const result: WeightImport = { loaded: [], missing: [], unused: [], problems: [] };
  for (const [name, variable] of trainer.weights) {
    const tensor = file.tensors.get(name);
    if (!tensor) {
      result.missing.push(name);
      continue;
    }
    const spec = trainer.weightSpecs.get(name)!;
    if (!tensor.data) {
      result.problems.push(`${name}: expected F32, the file has ${tensor.dtype}`);
      continue;
    }
    const converted = torchToTfjs(tensor.data, tensor.shape, spec.torchLayout);
    if (converted.shape.join(',') !== variable.shape.join(',')) {
      const expected = tfjsToTorch(
        new Float32Array(variable.size),
        variable.shape,
        spec.torchLayout,
      );
      result.problems.push(
        `${name}: expected shape [${expected.shape.join(', ')}] (PyTorch layout), the file has [${tensor.shape.join(', ')}]`,
      );
      continue;
    }
    const value = trainer.tf.tensor(converted.data, converted.shape);
    variable.assign(value);
    value.dispose();
    result.loaded.push(name);
  }
  for (const name of file.tensors.keys()) {
    if (!trainer.weights.has(name)) result.unused.push(name);
  }
  return result;
}

/** Every weight in PyTorch layout, for safetensors export and comparisons with the reference. */
export async function exportTorchWeights(
  trainer: Trainer,
): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, variable] of trainer.weights) {
    const data = (await variable.data()) as Float32Array;
    out.set(name, tfjsToTorch(data, variable.shape, trainer.weightSpecs.get(name)!.torchLayout));
  }
  return out;
}
