/**
 * WGSL programs for the fused kernels, in the shape tfjs-backend-webgpu runs them
 * (`backend.runWebGPUProgram`): tfjs declares `result` (read_write), one read-only array per
 * entry of `variableNames`, and a uniform block with every input's shape and the `uniforms`
 * fields; `getUserCode` supplies `main(index)`. With a flat `dispatchLayout`, `index` is the
 * global invocation index.
 *
 * Each program replaces a chain of small tfjs ops (one dispatch each) by one dispatch: on a GPU a
 * tfjs step is bound by its number of dispatches, not by arithmetic.
 */

export interface FusedProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms?: string;
  size?: boolean;
  getUserCode(): string;
}

/** The activations a fused normalisation applies after itself. */
export type FusedActivation = 'none' | 'relu' | 'leaky_relu';

const ELEMENTWISE_WORKGROUP = 64;

function flatLayout(shape: readonly number[]): { x: number[] } {
  return { x: shape.map((_, i) => i) };
}

/** One thread per output value, which checks `index < uniforms.size`. */
function elementwise(outputShape: number[]) {
  const threads = outputShape.reduce((a, b) => a * b, 1);
  return {
    outputShape,
    dispatchLayout: flatLayout(outputShape),
    dispatch: [Math.ceil(threads / ELEMENTWISE_WORKGROUP), 1, 1] as [number, number, number],
    workgroupSize: [ELEMENTWISE_WORKGROUP, 1, 1] as [number, number, number],
    size: true,
  };
}

/**
 * PyTorch's ReflectionPad2d of H and W of an NHWC tensor: each output pixel reads the input pixel
 * it mirrors (the border itself is not repeated).
 */
export function reflectionPadProgram(xShape: readonly number[], pad: number): FusedProgram {
  const [n, h, w, c] = xShape as [number, number, number, number];
  const outputShape = [n, h + 2 * pad, w + 2 * pad, c];
  return {
    variableNames: ['x'],
    ...elementwise(outputShape),
    shaderKey: 'ganvasReflectionPad',
    uniforms: 'pad : i32,',
    getUserCode: () => `
      fn mirror(i : i32, n : i32) -> i32 {
        let j = abs(i);
        return select(j, 2 * (n - 1) - j, j >= n);
      }
      ${mainHeader} {
        if (index < uniforms.size) {
          let o = getCoordsFromIndex(index);
          let s = uniforms.xShape;
          let h = mirror(o.y - uniforms.pad, s.y);
          let w = mirror(o.z - uniforms.pad, s.z);
          result[index] = x[((o.x * s.y + h) * s.z + w) * s.w + o.w];
        }
      }`,
  };
}

/**
 * The gradient of reflection padding: each input pixel sums the output gradients of every
 * output pixel that reads it, up to three along each axis (itself, its mirror in the leading
 * border, its mirror in the trailing border). tf.mirrorPad's gradient drops the mirrors.
 */
export function reflectionPadGradProgram(xShape: readonly number[]): FusedProgram {
  const outputShape = [...xShape];
  return {
    variableNames: ['dy'],
    ...elementwise(outputShape),
    shaderKey: 'ganvasReflectionPadGrad',
    uniforms: 'pad : i32,',
    getUserCode: () => `
      fn sources(i : i32, n : i32, p : i32) -> vec3<i32> {
        var found = vec3<i32>(i + p, -1, -1);
        if (i >= 1 && i <= p) { found.y = p - i; }
        if (i >= n - 1 - p && i <= n - 2) { found.z = 2 * (n - 1) + p - i; }
        return found;
      }
      ${mainHeader} {
        if (index < uniforms.size) {
          let o = getCoordsFromIndex(index);
          let s = uniforms.dyShape;
          let p = uniforms.pad;
          let hs = sources(o.y, uniforms.outShape.y, p);
          let ws = sources(o.z, uniforms.outShape.z, p);
          var total = 0.0;
          for (var i = 0; i < 3; i++) {
            if (hs[i] < 0) { continue; }
            for (var j = 0; j < 3; j++) {
              if (ws[j] < 0) { continue; }
              total = total + dy[((o.x * s.y + hs[i]) * s.z + ws[j]) * s.w + o.w];
            }
          }
          result[index] = total;
        }
      }`,
  };
}

const mainHeader = 'fn main(index : i32)';

/** A sum over the workgroup, called by every invocation in uniform control flow. */
function workgroupSumSnippet(size: number): string {
  return `
      var<workgroup> partialSums : array<f32, ${size}>;
      fn workgroupSum(value : f32) -> f32 {
        let local = localId.x;
        partialSums[local] = value;
        workgroupBarrier();
        for (var stride = ${size / 2}u; stride > 0u; stride = stride / 2u) {
          if (local < stride) {
            partialSums[local] = partialSums[local] + partialSums[local + stride];
          }
          workgroupBarrier();
        }
        let total = partialSums[0];
        workgroupBarrier();
        return total;
      }`;
}

function activationSnippet(activation: FusedActivation): string {
  switch (activation) {
    case 'none':
      return 'fn activate(v : f32) -> f32 { return v; }\nfn slope(v : f32) -> f32 { return 1.0; }';
    case 'relu':
      // tfjs's relu gradient is step(x): 0 at 0.
      return (
        'fn activate(v : f32) -> f32 { return max(v, 0.0); }\n' +
        'fn slope(v : f32) -> f32 { return select(0.0, 1.0, v > 0.0); }'
      );
    case 'leaky_relu':
      return (
        'fn activate(v : f32) -> f32 { return select(v * uniforms.alpha, v, v > 0.0); }\n' +
        'fn slope(v : f32) -> f32 { return select(uniforms.alpha, 1.0, v > 0.0); }'
      );
  }
}

/** Invocations per (sample, channel): more for large images, whose loops are long. */
function channelWorkgroup(pixels: number): number {
  return pixels >= 4096 ? 256 : 64;
}

/**
 * The per-(sample, channel) preamble: one workgroup per image channel, its mean and biased
 * variance over H×W (two passes, as tf.moments), and `at(k)`, the index of its k-th pixel.
 */
function channelStatistics(workgroup: number): string {
  return `
      ${workgroupSumSnippet(workgroup)}
      fn channelBase(group : i32) -> i32 {
        let channels = uniforms.xShape.w;
        return (group / channels) * uniforms.xShape.y * uniforms.xShape.z * channels +
            group % channels;
      }
      fn channelMean(base : i32, pixels : i32) -> f32 {
        var sum = 0.0;
        for (var k = i32(localId.x); k < pixels; k = k + ${workgroup}) {
          sum = sum + x[base + k * uniforms.xShape.w];
        }
        return workgroupSum(sum) / f32(pixels);
      }
      fn channelVariance(base : i32, pixels : i32, mean : f32) -> f32 {
        var sum = 0.0;
        for (var k = i32(localId.x); k < pixels; k = k + ${workgroup}) {
          let d = x[base + k * uniforms.xShape.w] - mean;
          sum = sum + d * d;
        }
        return workgroupSum(sum) / f32(pixels);
      }`;
}

function perChannel(xShape: readonly number[]) {
  const [n, h, w, c] = xShape as [number, number, number, number];
  const workgroup = channelWorkgroup(h * w);
  return {
    workgroup,
    layout: {
      outputShape: [...xShape],
      dispatchLayout: flatLayout(xShape),
      dispatch: [n * c, 1, 1] as [number, number, number],
      workgroupSize: [workgroup, 1, 1] as [number, number, number],
    },
  };
}

/**
 * Instance normalisation (biased variance) and the activation after it, in one program: one
 * workgroup per sample and channel. `uniforms.alpha` is leaky_relu's slope.
 */
export function instanceNormProgram(
  xShape: readonly number[],
  activation: FusedActivation,
): FusedProgram {
  const { workgroup, layout } = perChannel(xShape);
  return {
    variableNames: ['x'],
    ...layout,
    shaderKey: `ganvasInstanceNorm_${activation}_${workgroup}`,
    uniforms: 'eps : f32, alpha : f32,',
    getUserCode: () => `
      ${channelStatistics(workgroup)}
      ${activationSnippet(activation)}
      ${mainHeader} {
        let group = index / ${workgroup};
        let pixels = uniforms.xShape.y * uniforms.xShape.z;
        let base = channelBase(group);
        let mean = channelMean(base, pixels);
        let rstd = inverseSqrt(channelVariance(base, pixels, mean) + uniforms.eps);
        if (group < uniforms.xShape.x * uniforms.xShape.w) {
          for (var k = i32(localId.x); k < pixels; k = k + ${workgroup}) {
            let at = base + k * uniforms.xShape.w;
            result[at] = activate((x[at] - mean) * rstd);
          }
        }
      }`,
  };
}

/**
 * The gradient of instanceNormProgram with respect to x, from x and the output gradient dy:
 * with x̂ the normalised input and g = dy·activation'(x̂),
 * dx = rstd·(g − mean(g) − x̂·mean(g·x̂)).
 */
export function instanceNormGradProgram(
  xShape: readonly number[],
  activation: FusedActivation,
): FusedProgram {
  const { workgroup, layout } = perChannel(xShape);
  return {
    variableNames: ['x', 'dy'],
    ...layout,
    shaderKey: `ganvasInstanceNormGrad_${activation}_${workgroup}`,
    uniforms: 'eps : f32, alpha : f32,',
    getUserCode: () => `
      ${channelStatistics(workgroup)}
      ${activationSnippet(activation)}
      ${mainHeader} {
        let group = index / ${workgroup};
        let pixels = uniforms.xShape.y * uniforms.xShape.z;
        let stride = uniforms.xShape.w;
        let base = channelBase(group);
        let mean = channelMean(base, pixels);
        let rstd = inverseSqrt(channelVariance(base, pixels, mean) + uniforms.eps);
        var sumG = 0.0;
        var sumGX = 0.0;
        for (var k = i32(localId.x); k < pixels; k = k + ${workgroup}) {
          let at = base + k * stride;
          let normalised = (x[at] - mean) * rstd;
          let g = dy[at] * slope(normalised);
          sumG = sumG + g;
          sumGX = sumGX + g * normalised;
        }
        let meanG = workgroupSum(sumG) / f32(pixels);
        let meanGX = workgroupSum(sumGX) / f32(pixels);
        if (group < uniforms.xShape.x * uniforms.xShape.w) {
          for (var k = i32(localId.x); k < pixels; k = k + ${workgroup}) {
            let at = base + k * stride;
            let normalised = (x[at] - mean) * rstd;
            let g = dy[at] * slope(normalised);
            result[at] = rstd * (g - meanG - normalised * meanGX);
          }
        }
      }`,
  };
}

/** The distances a fused loss reduction averages. */
export type Distance = 'l1' | 'l2';

const REDUCTION_WORKGROUP = 256;

function distanceSnippet(distance: Distance, withTarget: boolean): string {
  const difference = withTarget ? 'a[i] - b[i]' : 'a[i] - uniforms.offset';
  return `fn difference(i : i32) -> f32 { return ${difference}; }\n${
    distance === 'l1'
      ? 'fn distance(d : f32) -> f32 { return abs(d); }\n' +
        // tfjs's abs gradient is step(x, -1): -1 at 0.
        'fn derivative(d : f32) -> f32 { return select(-1.0, 1.0, d > 0.0); }'
      : 'fn distance(d : f32) -> f32 { return d * d; }\n' +
        'fn derivative(d : f32) -> f32 { return 2.0 * d; }'
  }`;
}

/**
 * The mean distance between two flat tensors (or between one and a constant `offset`), reduced
 * by one workgroup: what a loss term needs, one dispatch instead of three.
 */
export function meanDistanceProgram(distance: Distance, withTarget: boolean): FusedProgram {
  return {
    variableNames: withTarget ? ['a', 'b'] : ['a'],
    outputShape: [1],
    dispatchLayout: flatLayout([1]),
    dispatch: [1, 1, 1],
    workgroupSize: [REDUCTION_WORKGROUP, 1, 1],
    shaderKey: `ganvasMeanDistance_${distance}_${withTarget}`,
    uniforms: 'offset : f32,',
    getUserCode: () => `
      ${workgroupSumSnippet(REDUCTION_WORKGROUP)}
      ${distanceSnippet(distance, withTarget)}
      ${mainHeader} {
        let count = uniforms.aShape;
        var sum = 0.0;
        for (var i = i32(localId.x); i < count; i = i + ${REDUCTION_WORKGROUP}) {
          sum = sum + distance(difference(i));
        }
        let total = workgroupSum(sum);
        if (localId.x == 0u) { result[0] = total / f32(count); }
      }`,
  };
}

/** d(mean distance)/da, scaled by the upstream gradient `dy` (a one-element tensor). */
export function meanDistanceGradProgram(
  count: number,
  distance: Distance,
  withTarget: boolean,
): FusedProgram {
  return {
    variableNames: withTarget ? ['a', 'b', 'dy'] : ['a', 'dy'],
    ...elementwise([count]),
    shaderKey: `ganvasMeanDistanceGrad_${distance}_${withTarget}`,
    uniforms: 'offset : f32,',
    getUserCode: () => `
      ${distanceSnippet(distance, withTarget)}
      ${mainHeader} {
        if (index < uniforms.size) {
          result[index] = dy[0] * derivative(difference(index)) / f32(uniforms.size);
        }
      }`,
  };
}
