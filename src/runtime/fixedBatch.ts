/**
 * A batch source that feeds the same tensors every step (`ganvas train --batch`): reproducible
 * runs and the parity test against the reference.
 */
import type { ProgramNode } from './program';
import type { BatchSource, HostTensor } from './trainer';

export class FixedBatchSource implements BatchSource {
  constructor(private readonly tensors: ReadonlyMap<string, HostTensor>) {}

  next(node: ProgramNode): Record<string, HostTensor> {
    const out: Record<string, HostTensor> = {};
    for (const [port, shape] of Object.entries(node.outputShapes)) {
      const t = this.tensors.get(port);
      if (!t) {
        throw new Error(
          `the batch has no tensor "${port}" for node "${node.id}"; it has ${[...this.tensors.keys()].join(', ')}`,
        );
      }
      if (t.shape.join('×') !== shape.join('×')) {
        throw new Error(
          `batch tensor "${port}" has shape ${t.shape.join('×')}, node "${node.id}" needs ${shape.join('×')}`,
        );
      }
      out[port] = t;
    }
    return out;
  }
}
