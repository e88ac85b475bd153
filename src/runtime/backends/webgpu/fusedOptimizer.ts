/**
 * A multi-tensor optimizer step for the webgpu backend: all weights of an optimizer updated by
 * one program over one flat buffer, as PyTorch's `foreach`/fused Adam does, instead of about a
 * dozen elementwise programs per weight.
 *
 * The buffer holds [weights | slot 1 | slot 2 …], weight i at `offsets[i]` in each part. Each
 * step copies the weights and gradients in (buffer-to-buffer copies, no programs), runs the
 * update in place, and copies each weight out into a fresh tensor that its variable takes. The
 * weights are copied in every step, so that whatever assigned a variable since (a loaded
 * checkpoint) is what the update starts from. The slots live only in the buffer; `readSlots`
 * copies them out when a checkpoint needs them.
 */
import type { DataId, TensorInfo } from '@tensorflow/tfjs';
import type { TF, Tensor, Variable } from '../../../nodes/kind';
import type { FusedProgram } from './programs';
import { hasFusedWebGPUKernels, type ProgramUniform, type WebGPUBackendLike } from './fusedKernels';
import { countCopies } from './stepCounts';

/** One update's numbers, already in the form the unfused ops of optimizers.ts use them. */
export interface FlatUpdate {
  rule: 'adam' | 'rmsprop' | 'sgd';
  /** Adam: lr / (1 - beta1^t); RMSprop and SGD: lr. */
  rate: number;
  /** Adam's beta1 (the first moment's decay); unused otherwise. */
  decay1: number;
  /** Adam's beta2, RMSprop's alpha (the squared gradient's decay). */
  decay2: number;
  /**
   * 1 - decay1 and 1 - decay2, computed in double precision as the unfused rules compute them
   * (in float32, 1 - 0.999 is off by 1e-5 relative).
   */
  mix1: number;
  mix2: number;
  /** Adam: sqrt(1 - beta2^t); 1 otherwise. */
  sqrtBias2: number;
  eps: number;
  clip: number | null;
}

interface GPUBufferLike {
  readonly size: number;
}

interface BufferBackend extends WebGPUBackendLike {
  uploadToGPU(dataId: DataId): void;
  tensorMap: { get(dataId: DataId): { resource?: unknown } };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  commandEncoder: {
    copyBufferToBuffer(
      source: GPUBufferLike,
      sourceOffset: number,
      destination: GPUBufferLike,
      destinationOffset: number,
      size: number,
    ): void;
  };
  commandQueueOwnedIds: WeakSet<DataId>;
}

const SLOTS = { adam: ['m', 'v'], rmsprop: ['v'], sgd: [] } as const;
const WORKGROUP = 64;
const BYTES = 4;

function updateProgram(rule: FlatUpdate['rule'], count: number, parts: number): FusedProgram {
  const update = {
    adam: `
          let m = result[n + index] * uniforms.decay1 + g * uniforms.mix1;
          let v = result[2 * n + index] * uniforms.decay2 + (g * g) * uniforms.mix2;
          result[n + index] = m;
          result[2 * n + index] = v;
          w = w - (m / (sqrt(v) / uniforms.sqrtBias2 + uniforms.eps)) * uniforms.rate;`,
    rmsprop: `
          let v = result[n + index] * uniforms.decay2 + (g * g) * uniforms.mix2;
          result[n + index] = v;
          w = w - (g / (sqrt(v) + uniforms.eps)) * uniforms.rate;`,
    sgd: `
          w = w - g * uniforms.rate;`,
  }[rule];
  return {
    variableNames: ['grads'],
    outputShape: [count * parts],
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(count / WORKGROUP), 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    shaderKey: `ganvasFlatUpdate_${rule}`,
    uniforms:
      'count : i32, rate : f32, decay1 : f32, decay2 : f32, mix1 : f32, mix2 : f32, ' +
      'sqrtBias2 : f32, eps : f32, ' +
      'clipping : i32, clip : f32,',
    getUserCode: () => `
      fn main(index : i32) {
        let n = uniforms.count;
        if (index < n) {
          let g = grads[index];
          var w = result[index];
          ${update}
          if (uniforms.clipping == 1) { w = clamp(w, -uniforms.clip, uniforms.clip); }
          result[index] = w;
        }
      }`,
  };
}

/** Whether the current backend runs the flat update: webgpu, with the fused kernels installed. */
export function canUpdateFlat(tf: TF): boolean {
  return tf.getBackend() === 'webgpu' && hasFusedWebGPUKernels(tf);
}

export class FlatOptimizerState {
  private readonly offsets: number[] = [];
  private readonly count: number;
  private packed: Tensor;

  /**
   * `slots` seeds the slots (a loaded checkpoint); weights without them start at zero, as
   * PyTorch's do.
   */
  constructor(
    private readonly tf: TF,
    readonly rule: FlatUpdate['rule'],
    private readonly weights: ReadonlyMap<string, Variable>,
    slots: ReadonlyMap<string, Readonly<Record<string, Tensor>>>,
  ) {
    let count = 0;
    for (const w of weights.values()) {
      this.offsets.push(count);
      count += w.size;
    }
    this.count = count;
    this.packed = tf.tidy(() => {
      const parts: Tensor[] = [tf.zeros([count])];
      for (const slot of SLOTS[rule]) {
        for (const [name, w] of weights) {
          const saved = slots.get(name)?.[slot];
          parts.push(saved ? tf.reshape(saved, [-1]) : tf.zeros([w.size]));
        }
      }
      return tf.keep(parts.length === 1 ? parts[0]! : tf.concat(parts));
    });
  }

  private get backend(): BufferBackend {
    return this.tf.backend() as unknown as BufferBackend;
  }

  private bufferOf(t: TensorInfo): GPUBufferLike {
    const backend = this.backend;
    backend.uploadToGPU(t.dataId);
    return backend.tensorMap.get(t.dataId).resource as GPUBufferLike;
  }

  /** Encodes copies of `size` elements; the tensors' buffers stay alive until submitted. */
  private copy(source: TensorInfo, from: number, target: TensorInfo, to: number, size: number) {
    const backend = this.backend;
    const sourceBuffer = this.bufferOf(source);
    const targetBuffer = this.bufferOf(target);
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    backend.commandEncoder.copyBufferToBuffer(
      sourceBuffer,
      from * BYTES,
      targetBuffer,
      to * BYTES,
      size * BYTES,
    );
    backend.commandQueueOwnedIds.add(source.dataId);
    backend.commandQueueOwnedIds.add(target.dataId);
    countCopies(1);
  }

  /** A fresh tensor holding `size` elements of the buffer from `offset`. */
  private extract(offset: number, shape: number[]): Tensor {
    const t = this.emptyTensor(shape);
    this.copy(this.packed, offset, t, 0, t.size);
    return t;
  }

  /** A tensor with a GPU buffer and no contents yet: what a copy fills, without a program. */
  private emptyTensor(shape: number[]): Tensor {
    const backend = this.tf.backend();
    const dataId = backend.write(null as never, shape, 'float32');
    return this.tf.engine().makeTensorFromTensorInfo({ dataId, shape, dtype: 'float32' });
  }

  /** One update of every weight from `grads` (by weight name, every weight present). */
  apply(grads: Readonly<Record<string, Tensor>>, update: FlatUpdate): void {
    const names = [...this.weights.keys()];
    const gradients = this.emptyTensor([this.count]);
    try {
      names.forEach((name, i) => {
        const w = this.weights.get(name)!;
        this.copy(w, 0, this.packed, this.offsets[i]!, w.size);
        this.copy(grads[name]!, 0, gradients, this.offsets[i]!, w.size);
      });
      const uniforms: ProgramUniform[] = [
        { type: 'int32', data: [this.count] },
        { type: 'float32', data: [update.rate] },
        { type: 'float32', data: [update.decay1] },
        { type: 'float32', data: [update.decay2] },
        { type: 'float32', data: [update.mix1] },
        { type: 'float32', data: [update.mix2] },
        { type: 'float32', data: [update.sqrtBias2] },
        { type: 'float32', data: [update.eps] },
        { type: 'int32', data: [update.clip === null ? 0 : 1] },
        { type: 'float32', data: [update.clip ?? 0] },
      ];
      const parts = 1 + SLOTS[this.rule].length;
      this.backend.runWebGPUProgram(
        updateProgram(this.rule, this.count, parts),
        [gradients],
        'float32',
        uniforms,
        this.packed,
      );
    } finally {
      gradients.dispose();
    }
    names.forEach((name, i) => {
      const w = this.weights.get(name)!;
      const next = this.extract(this.offsets[i]!, w.shape);
      w.assign(next);
      next.dispose();
    });
  }

  /** The slots, copied out of the buffer, by weight name then slot name; the caller owns them. */
  readSlots(): Map<string, Record<string, Tensor>> {
    const out = new Map<string, Record<string, Tensor>>();
    SLOTS[this.rule].forEach((slot, part) => {
      [...this.weights].forEach(([name, w], i) => {
        const record = out.get(name) ?? {};
        record[slot] = this.extract((part + 1) * this.count + this.offsets[i]!, w.shape);
        out.set(name, record);
      });
    });
    return out;
  }

  dispose(): void {
    this.packed.dispose();
  }
}
