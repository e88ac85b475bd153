import type * as tfjs from '@tensorflow/tfjs';
import {
  type CpuBackendLike,
  float32Values,
  replaceCpuKernels,
  requireInput,
  runStock,
} from './cpuBackendAccess';

/**
 * Faster replacements for the tfjs cpu backend's 2-D convolution kernels (NHWC, dilation 1).
 *
 * The stock `Conv2DBackpropFilter` computes each filter weight as its own strided sum through
 * `TensorBuffer.get`, about 60x slower than the forward conv, and took 89% of a CycleGAN step on
 * cpu. Here every kernel is a set of contiguous dot products over typed arrays, blocked so that
 * each loaded value feeds several accumulators (V8 does not vectorise, so loads are the cost):
 * - filter gradient: im2col in chunks of output pixels, transposed so that both operands of
 *   dW[kh, kw, ci, co] = sum_p col[ci, p] * dy[co, p] run along the pixels;
 * - forward: per output pixel and filter row, the valid taps of that row are one contiguous run
 *   of x, matched by a filter transposed to [co][kh][kw][ci];
 * - input gradient (also conv2dTranspose's forward): per input pixel, the taps that reach an
 *   output pixel, each a dot product over output channels.
 * Sums are accumulated in doubles, like the stock backprop kernels. Other layouts and dilations
 * go to the stock kernel.
 */

type Tf = typeof tfjs;
type KernelFunc = tfjs.KernelFunc;
type Shape4D = [number, number, number, number];
type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];
type Padding = 'valid' | 'same' | number | ExplicitPadding;
type RoundingMode = 'floor' | 'round' | 'ceil';

interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

const CONV_KERNEL_NAMES = ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput'] as const;
type ConvKernelName = (typeof CONV_KERNEL_NAMES)[number];

/** Output pixels per im2col chunk of the filter gradient: both chunks stay in L2. */
const PIXEL_CHUNK = 256;

function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}

function geometryOf(info: tfjs.backend_util.Conv2DInfo): ConvGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, ih, iw, ci] * dy[b, oh, ow, co]. */
function conv2dFilterGradient(x: Float32Array, dy: Float32Array, g: ConvGeometry): Float32Array {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const { filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft } = g;
  // Padded channel counts let the 2x4 block below run without remainder loops; the padding rows
  // of col and dyT are never written, so they stay zero.
  const ciPadded = roundUp(inChannels, 2);
  const coPadded = roundUp(outChannels, 4);
  const acc = new Float64Array(filterHeight * filterWidth * ciPadded * coPadded);
  const col = new Float32Array(ciPadded * PIXEL_CHUNK);
  const dyT = new Float32Array(coPadded * PIXEL_CHUNK);
  const firstRow = new Int32Array(PIXEL_CHUNK);
  const firstCol = new Int32Array(PIXEL_CHUNK);
  const imageBase = new Int32Array(PIXEL_CHUNK);
  const outPixelsPerImage = outHeight * outWidth;
  const totalPixels = g.batch * outPixelsPerImage;

  for (let p0 = 0; p0 < totalPixels; p0 += PIXEL_CHUNK) {
    const n = Math.min(PIXEL_CHUNK, totalPixels - p0);
    for (let j = 0; j < n; j++) {
      const p = p0 + j;
      const b = Math.floor(p / outPixelsPerImage);
      const rest = p - b * outPixelsPerImage;
      const oh = Math.floor(rest / outWidth);
      const ow = rest - oh * outWidth;
      firstRow[j] = oh * strideHeight - padTop;
      firstCol[j] = ow * strideWidth - padLeft;
      imageBase[j] = b * inHeight * inWidth;
      const src = p * outChannels;
      for (let co = 0; co < outChannels; co++) dyT[co * PIXEL_CHUNK + j] = dy[src + co]!;
    }
    for (let kh = 0; kh < filterHeight; kh++) {
      for (let kw = 0; kw < filterWidth; kw++) {
        for (let j = 0; j < n; j++) {
          const ih = firstRow[j]! + kh;
          const iw = firstCol[j]! + kw;
          if (ih >= 0 && ih < inHeight && iw >= 0 && iw < inWidth) {
            const src = (imageBase[j]! + ih * inWidth + iw) * inChannels;
            for (let ci = 0; ci < inChannels; ci++) col[ci * PIXEL_CHUNK + j] = x[src + ci]!;
          } else {
            for (let ci = 0; ci < inChannels; ci++) col[ci * PIXEL_CHUNK + j] = 0;
          }
        }
        const tapBase = (kh * filterWidth + kw) * ciPadded * coPadded;
        for (let ci = 0; ci < ciPadded; ci += 2) {
          const a0 = ci * PIXEL_CHUNK;
          const a1 = a0 + PIXEL_CHUNK;
          for (let co = 0; co < coPadded; co += 4) {
            const b0 = co * PIXEL_CHUNK;
            const b1 = b0 + PIXEL_CHUNK;
            const b2 = b1 + PIXEL_CHUNK;
            const b3 = b2 + PIXEL_CHUNK;
            let s00 = 0,
              s01 = 0,
              s02 = 0,
              s03 = 0,
              s10 = 0,
              s11 = 0,
              s12 = 0,
              s13 = 0;
            for (let j = 0; j < n; j++) {
              const xa = col[a0 + j]!;
              const xb = col[a1 + j]!;
              const d0 = dyT[b0 + j]!;
              const d1 = dyT[b1 + j]!;
              const d2 = dyT[b2 + j]!;
              const d3 = dyT[b3 + j]!;
              s00 += xa * d0;
              s01 += xa * d1;
              s02 += xa * d2;
              s03 += xa * d3;
              s10 += xb * d0;
              s11 += xb * d1;
              s12 += xb * d2;
              s13 += xb * d3;
            }
            const o = tapBase + ci * coPadded + co;
            acc[o] = acc[o]! + s00;
            acc[o + 1] = acc[o + 1]! + s01;
            acc[o + 2] = acc[o + 2]! + s02;
            acc[o + 3] = acc[o + 3]! + s03;
            const o1 = o + coPadded;
            acc[o1] = acc[o1]! + s10;
            acc[o1 + 1] = acc[o1 + 1]! + s11;
            acc[o1 + 2] = acc[o1 + 2]! + s12;
            acc[o1 + 3] = acc[o1 + 3]! + s13;
          }
        }
      }
    }
  }

  const taps = filterHeight * filterWidth;
  const dW = new Float32Array(taps * inChannels * outChannels);
  for (let t = 0; t < taps; t++) {
    for (let ci = 0; ci < inChannels; ci++) {
      const src = (t * ciPadded + ci) * coPadded;
      const dst = (t * inChannels + ci) * outChannels;
      for (let co = 0; co < outChannels; co++) dW[dst + co] = acc[src + co]!;
    }
  }
  return dW;
}

/** y[b, oh, ow, co] = sum over kh, kw, ci of x[b, ih, iw, ci] * W[kh, kw, ci, co]. */
function conv2dForward(x: Float32Array, w: Float32Array, g: ConvGeometry): Float32Array {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const { filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft } = g;
  const coPadded = roundUp(outChannels, 4);
  const rowLength = filterWidth * inChannels;
  const perOutChannel = filterHeight * rowLength;
  // wT[co][kh][kw][ci]: along kw and ci it runs in the same order as x along iw and ci.
  const wT = new Float32Array(coPadded * perOutChannel);
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const src = ((kh * filterWidth + kw) * inChannels + ci) * outChannels;
        const dst = kh * rowLength + kw * inChannels + ci;
        for (let co = 0; co < outChannels; co++) wT[co * perOutChannel + dst] = w[src + co]!;
      }
    }
  }
  const y = new Float32Array(g.batch * outHeight * outWidth * outChannels);
  const runX = new Int32Array(filterHeight);
  const runW = new Int32Array(filterHeight);
  const runLength = new Int32Array(filterHeight);
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const ih0 = oh * strideHeight - padTop;
      for (let ow = 0; ow < outWidth; ow++) {
        const iw0 = ow * strideWidth - padLeft;
        const kwStart = Math.max(0, -iw0);
        const kwEnd = Math.min(filterWidth, inWidth - iw0);
        let runs = 0;
        if (kwEnd > kwStart) {
          for (let kh = 0; kh < filterHeight; kh++) {
            const ih = ih0 + kh;
            if (ih < 0 || ih >= inHeight) continue;
            runX[runs] = ((b * inHeight + ih) * inWidth + iw0 + kwStart) * inChannels;
            runW[runs] = kh * rowLength + kwStart * inChannels;
            runLength[runs] = (kwEnd - kwStart) * inChannels;
            runs++;
          }
        }
        const dst = ((b * outHeight + oh) * outWidth + ow) * outChannels;
        for (let co = 0; co < coPadded; co += 4) {
          const w0 = co * perOutChannel;
          const w1 = w0 + perOutChannel;
          const w2 = w1 + perOutChannel;
          const w3 = w2 + perOutChannel;
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let r = 0; r < runs; r++) {
            const xo = runX[r]!;
            const wo = runW[r]!;
            const len = runLength[r]!;
            for (let k = 0; k < len; k++) {
              const v = x[xo + k]!;
              s0 += v * wT[w0 + wo + k]!;
              s1 += v * wT[w1 + wo + k]!;
              s2 += v * wT[w2 + wo + k]!;
              s3 += v * wT[w3 + wo + k]!;
            }
          }
          y[dst + co] = s0;
          if (co + 1 < outChannels) y[dst + co + 1] = s1;
          if (co + 2 < outChannels) y[dst + co + 2] = s2;
          if (co + 3 < outChannels) y[dst + co + 3] = s3;
        }
      }
    }
  }
  return y;
}

/** dx[b, ih, iw, ci] = sum over the (kh, kw, oh, ow) that read x[b, ih, iw] of W * dy. */
function conv2dInputGradient(dy: Float32Array, w: Float32Array, g: ConvGeometry): Float32Array {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const { filterHeight, filterWidth, strideHeight, strideWidth, padTop, padLeft } = g;
  const taps = filterHeight * filterWidth;
  // Blocks of 8 input channels share each dy load 8 times; images (up to 4 channels) get one
  // block of 4 rather than half-empty blocks of 8. W gets zero rows for the padded channels, so
  // the blocks need no remainder loops.
  const block = inChannels > 4 ? 8 : 4;
  const ciPadded = roundUp(inChannels, block);
  const wPadded = new Float32Array(taps * ciPadded * outChannels);
  for (let t = 0; t < taps; t++) {
    wPadded.set(
      w.subarray(t * inChannels * outChannels, (t + 1) * inChannels * outChannels),
      t * ciPadded * outChannels,
    );
  }
  const dx = new Float32Array(g.batch * inHeight * inWidth * inChannels);
  const tapDy = new Int32Array(taps);
  const tapW = new Int32Array(taps);
  for (let b = 0; b < g.batch; b++) {
    for (let ih = 0; ih < inHeight; ih++) {
      for (let iw = 0; iw < inWidth; iw++) {
        let count = 0;
        for (let kh = 0; kh < filterHeight; kh++) {
          const rowOffset = ih + padTop - kh;
          if (rowOffset < 0 || rowOffset % strideHeight !== 0) continue;
          const oh = rowOffset / strideHeight;
          if (oh >= outHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const colOffset = iw + padLeft - kw;
            if (colOffset < 0 || colOffset % strideWidth !== 0) continue;
            const ow = colOffset / strideWidth;
            if (ow >= outWidth) continue;
            tapDy[count] = ((b * outHeight + oh) * outWidth + ow) * outChannels;
            tapW[count] = (kh * filterWidth + kw) * ciPadded * outChannels;
            count++;
          }
        }
        const dst = ((b * inHeight + ih) * inWidth + iw) * inChannels;
        if (block === 8) {
          for (let ci = 0; ci < ciPadded; ci += 8) {
            let s0 = 0,
              s1 = 0,
              s2 = 0,
              s3 = 0,
              s4 = 0,
              s5 = 0,
              s6 = 0,
              s7 = 0;
            for (let t = 0; t < count; t++) {
              const d = tapDy[t]!;
              const w0 = tapW[t]! + ci * outChannels;
              const w1 = w0 + outChannels;
              const w2 = w1 + outChannels;
              const w3 = w2 + outChannels;
              const w4 = w3 + outChannels;
              const w5 = w4 + outChannels;
              const w6 = w5 + outChannels;
              const w7 = w6 + outChannels;
              for (let co = 0; co < outChannels; co++) {
                const v = dy[d + co]!;
                s0 += v * wPadded[w0 + co]!;
                s1 += v * wPadded[w1 + co]!;
                s2 += v * wPadded[w2 + co]!;
                s3 += v * wPadded[w3 + co]!;
                s4 += v * wPadded[w4 + co]!;
                s5 += v * wPadded[w5 + co]!;
                s6 += v * wPadded[w6 + co]!;
                s7 += v * wPadded[w7 + co]!;
              }
            }
            dx[dst + ci] = s0;
            if (ci + 1 < inChannels) dx[dst + ci + 1] = s1;
            if (ci + 2 < inChannels) dx[dst + ci + 2] = s2;
            if (ci + 3 < inChannels) dx[dst + ci + 3] = s3;
            if (ci + 4 < inChannels) dx[dst + ci + 4] = s4;
            if (ci + 5 < inChannels) dx[dst + ci + 5] = s5;
            if (ci + 6 < inChannels) dx[dst + ci + 6] = s6;
            if (ci + 7 < inChannels) dx[dst + ci + 7] = s7;
          }
        } else {
          let s0 = 0,
            s1 = 0,
            s2 = 0,
            s3 = 0;
          for (let t = 0; t < count; t++) {
            const d = tapDy[t]!;
            const w0 = tapW[t]!;
            const w1 = w0 + outChannels;
            const w2 = w1 + outChannels;
            const w3 = w2 + outChannels;
            for (let co = 0; co < outChannels; co++) {
              const v = dy[d + co]!;
              s0 += v * wPadded[w0 + co]!;
              s1 += v * wPadded[w1 + co]!;
              s2 += v * wPadded[w2 + co]!;
              s3 += v * wPadded[w3 + co]!;
            }
          }
          dx[dst] = s0;
          if (inChannels > 1) dx[dst + 1] = s1;
          if (inChannels > 2) dx[dst + 2] = s2;
          if (inChannels > 3) dx[dst + 3] = s3;
        }
      }
    }
  }
  return dx;
}

function isUnitDilation(dilations: unknown): boolean {
  if (dilations === undefined || dilations === 1) return true;
  return Array.isArray(dilations) && dilations.every((d) => d === 1);
}

function makeFastKernel(tf: Tf, name: ConvKernelName, stock: KernelFunc | undefined): KernelFunc {
  const computeInfo = (
    inShape: Shape4D,
    filterShape: Shape4D,
    attrs: { strides: number | [number, number]; pad: Padding; dimRoundingMode?: RoundingMode },
  ) =>
    geometryOf(
      tf.backend_util.computeConv2DInfo(
        inShape,
        filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      ),
    );

  const kernelFunc: KernelFunc = (args) => {
    const attrs = (args.attrs ?? {}) as {
      strides: number | [number, number];
      pad: Padding;
      dataFormat?: 'NHWC' | 'NCHW';
      dimRoundingMode?: RoundingMode;
      dilations?: number | [number, number];
      filterShape?: Shape4D;
      inputShape?: Shape4D;
    };
    const handled = (attrs.dataFormat ?? 'NHWC') === 'NHWC' && isUnitDilation(attrs.dilations);
    if (!handled) {
      return runStock(
        name,
        stock,
        args,
        () =>
          `supports NHWC with dilation 1 only, received dataFormat ${String(attrs.dataFormat)} ` +
          `and dilations ${JSON.stringify(attrs.dilations)}`,
      );
    }
    const backend = args.backend as CpuBackendLike;
    if (name === 'Conv2DBackpropFilter') {
      const x = requireInput(args.inputs.x, name, 'x');
      const dy = requireInput(args.inputs.dy, name, 'dy');
      const filterShape = attrs.filterShape as Shape4D;
      const g = computeInfo(x.shape as Shape4D, filterShape, attrs);
      const dW = conv2dFilterGradient(
        float32Values(backend, x, name),
        float32Values(backend, dy, name),
        g,
      );
      return backend.makeTensorInfo([...filterShape], 'float32', dW);
    }
    if (name === 'Conv2DBackpropInput') {
      const dy = requireInput(args.inputs.dy, name, 'dy');
      const filter = requireInput(args.inputs.filter, name, 'filter');
      const inputShape = attrs.inputShape as Shape4D;
      const g = computeInfo(inputShape, filter.shape as Shape4D, attrs);
      const dx = conv2dInputGradient(
        float32Values(backend, dy, name),
        float32Values(backend, filter, name),
        g,
      );
      return backend.makeTensorInfo([...inputShape], 'float32', dx);
    }
    const x = requireInput(args.inputs.x, name, 'x');
    const filter = requireInput(args.inputs.filter, name, 'filter');
    const g = computeInfo(x.shape as Shape4D, filter.shape as Shape4D, attrs);
    const y = conv2dForward(
      float32Values(backend, x, name),
      float32Values(backend, filter, name),
      g,
    );
    return backend.makeTensorInfo([g.batch, g.outHeight, g.outWidth, g.outChannels], 'float32', y);
  };
  return kernelFunc;
}

/**
 * Replaces the cpu backend's Conv2D, Conv2DBackpropFilter and Conv2DBackpropInput kernels with
 * the faster ones above. Idempotent: a kernel that is already a fast one is left in place. The
 * replaced stock kernels stay reachable as the fallback for NCHW and dilated convolutions.
 */
export function installFastCpuConvKernels(tf: Tf): void {
  replaceCpuKernels(tf, CONV_KERNEL_NAMES, (name, stock) => makeFastKernel(tf, name, stock));
}
