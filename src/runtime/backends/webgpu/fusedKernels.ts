/**
 * The fused kernels of src/nodes/tensorOps.ts (FUSED_KERNELS) for the webgpu backend, each one
 * program forward and one backward, with their gradients. tensorOps builds from them wherever
 * they are registered for the current backend; other backends keep the chains of small ops.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { TF, Tensor } from '../../../nodes/kind';
import { FUSED_KERNELS } from '../../../nodes/tensorOps';
import {
  instanceNormGradProgram,
  instanceNormProgram,
  meanDistanceGradProgram,
  meanDistanceProgram,
  reflectionPadGradProgram,
  reflectionPadProgram,
  type Distance,
  type FusedActivation,
  type FusedProgram,
} from './programs';

export interface ProgramUniform {
  type: 'float32' | 'int32';
  data: number[];
}

/** The part of tfjs-backend-webgpu's WebGPUBackend the fused kernels use. */
export interface WebGPUBackendLike {
  runWebGPUProgram(
    program: FusedProgram,
    inputs: TensorInfo[],
    dtype: 'float32',
    uniforms?: ProgramUniform[],
    output?: TensorInfo,
  ): TensorInfo;
}

/** The backward kernels, run only by the gradients registered here. */
const GRADIENT_KERNELS = {
  reflectionPad: 'GanvasReflectionPadGrad',
  instanceNorm: 'GanvasInstanceNormGrad',
  meanDistance: 'GanvasMeanDistanceGrad',
} as const;

const BACKEND = 'webgpu';

type KernelFunc = (args: {
  inputs: Record<string, TensorInfo | undefined>;
  backend: unknown;
  attrs?: NamedAttrMap;
}) => TensorInfo;

/** The same data seen with another shape: webgpu programs read shapes from these, not buffers. */
function withShape(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, dtype: t.dtype, shape };
}

function flat(t: TensorInfo): TensorInfo {
  return withShape(t, [t.shape.reduce((a, b) => a * b, 1)]);
}

const normUniforms = (attrs: NamedAttrMap): ProgramUniform[] => [
  { type: 'float32', data: [attrs.eps as number] },
  { type: 'float32', data: [attrs.alpha as number] },
];

/** Mean distance between `a` and `b`, or between `a` and the constant `offset` when no `b`. */
const meanDistanceKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const withTarget = inputs.b !== undefined;
  const program = meanDistanceProgram(attrs!.distance as Distance, withTarget);
  const operands = withTarget ? [flat(inputs.a!), flat(inputs.b!)] : [flat(inputs.a!)];
  const mean = (backend as WebGPUBackendLike).runWebGPUProgram(program, operands, 'float32', [
    { type: 'float32', data: [(attrs!.offset as number | undefined) ?? 0] },
  ]);
  return withShape(mean, []);
};

const kernels: Record<string, KernelFunc> = {
  [FUSED_KERNELS.reflectionPad]: ({ inputs, backend, attrs }) => {
    const x = inputs.x!;
    const pad = attrs!.pad as number;
    return (backend as WebGPUBackendLike).runWebGPUProgram(
      reflectionPadProgram(x.shape, pad),
      [x],
      'float32',
      [{ type: 'int32', data: [pad] }],
    );
  },
  [GRADIENT_KERNELS.reflectionPad]: ({ inputs, backend, attrs }) => {
    const dy = inputs.dy!;
    const pad = attrs!.pad as number;
    const [n, h, w, c] = dy.shape as [number, number, number, number];
    return (backend as WebGPUBackendLike).runWebGPUProgram(
      reflectionPadGradProgram([n, h - 2 * pad, w - 2 * pad, c]),
      [dy],
      'float32',
      [{ type: 'int32', data: [pad] }],
    );
  },
  [FUSED_KERNELS.instanceNorm]: ({ inputs, backend, attrs }) => {
    const x = inputs.x!;
    const program = instanceNormProgram(x.shape, attrs!.activation as FusedActivation);
    return (backend as WebGPUBackendLike).runWebGPUProgram(
      program,
      [x],
      'float32',
      normUniforms(attrs!),
    );
  },
  [GRADIENT_KERNELS.instanceNorm]: ({ inputs, backend, attrs }) => {
    const x = inputs.x!;
    const program = instanceNormGradProgram(x.shape, attrs!.activation as FusedActivation);
    return (backend as WebGPUBackendLike).runWebGPUProgram(
      program,
      [x, inputs.dy!],
      'float32',
      normUniforms(attrs!),
    );
  },
  [FUSED_KERNELS.meanDistance]: meanDistanceKernel,
  [FUSED_KERNELS.meanDistanceToConstant]: meanDistanceKernel,
  [GRADIENT_KERNELS.meanDistance]: ({ inputs, backend, attrs }) => {
    const a = inputs.a!;
    const withTarget = inputs.b !== undefined;
    const count = a.shape.reduce((x, y) => x * y, 1);
    const program = meanDistanceGradProgram(count, attrs!.distance as Distance, withTarget);
    const operands = [flat(a), ...(withTarget ? [flat(inputs.b!)] : []), flat(inputs.dy!)];
    const grad = (backend as WebGPUBackendLike).runWebGPUProgram(program, operands, 'float32', [
      { type: 'float32', data: [(attrs!.offset as number | undefined) ?? 0] },
    ]);
    return withShape(grad, [...a.shape]);
  },
};

function run(tf: TF, kernel: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): Tensor {
  return tf.engine().runKernel(kernel, inputs, attrs) as Tensor;
}

export function hasFusedWebGPUKernels(tf: TF): boolean {
  return tf.getKernel(FUSED_KERNELS.reflectionPad, BACKEND) !== undefined;
}

/** Registers the fused kernels and their gradients for the webgpu backend, once. */
export function installFusedWebGPUKernels(tf: TF): void {
  if (hasFusedWebGPUKernels(tf)) return;
  for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
    tf.registerKernel({ kernelName, backendName: BACKEND, kernelFunc: kernelFunc as never });
  }
  tf.registerGradient({
    kernelName: FUSED_KERNELS.reflectionPad,
    gradFunc: (dy, _saved, attrs) => ({
      x: () => run(tf, GRADIENT_KERNELS.reflectionPad, { dy: dy as Tensor }, attrs),
    }),
  });
  tf.registerGradient({
    kernelName: FUSED_KERNELS.instanceNorm,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({
      x: () => run(tf, GRADIENT_KERNELS.instanceNorm, { x: saved[0]!, dy: dy as Tensor }, attrs),
    }),
  });
  tf.registerGradient({
    kernelName: FUSED_KERNELS.meanDistance,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => {
      const da = () =>
        run(tf, GRADIENT_KERNELS.meanDistance, { a: a!, b: b!, dy: dy as Tensor }, attrs);
      // The target's gradient is the input's, negated; asked for only when the target trains.
      return { a: da, b: () => tf.neg(da()) };
    },
  });
  tf.registerGradient({
    kernelName: FUSED_KERNELS.meanDistanceToConstant,
    inputsToSave: ['a'],
    gradFunc: (dy, [a], attrs) => ({
      a: () => run(tf, GRADIENT_KERNELS.meanDistance, { a: a!, dy: dy as Tensor }, attrs),
    }),
  });
}
