/** Shape maths shared by the node kinds, in PyTorch's conventions (the reference's). */
import { ShapeError, type Shape } from './kind';

export type Padding = number | 'same' | 'valid';

export function formatShape(shape: Shape): string {
  return shape.join('×');
}

/** Checks that an input is an NHWC tensor and returns it typed as such. */
export function expectImageLike(
  shape: Shape | undefined,
  port: string,
): [number, number, number, number] {
  if (!shape) throw new ShapeError(`input "${port}" is not connected`, port);
  if (shape.length !== 4) {
    throw new ShapeError(
      `input "${port}" must be a 4-D tensor N×H×W×C, received ${formatShape(shape)}`,
      port,
    );
  }
  return shape as [number, number, number, number];
}

export function expectConnected(shape: Shape | undefined, port: string): Shape {
  if (!shape) throw new ShapeError(`input "${port}" is not connected`, port);
  return shape;
}

/** Output length of a convolution along one axis. */
export function convOutputSize(size: number, kernel: number, stride: number, padding: Padding) {
  if (padding === 'same') return Math.ceil(size / stride);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((size + 2 * p - kernel) / stride) + 1;
}

/** Output length of a transposed convolution along one axis (PyTorch's ConvTranspose2d). */
export function convTransposeOutputSize(
  size: number,
  kernel: number,
  stride: number,
  padding: Padding,
  outputPadding: number,
) {
  if (padding === 'same') return size * stride;
  const p = padding === 'valid' ? 0 : padding;
  return (size - 1) * stride - 2 * p + kernel + outputPadding;
}

export function expectPositiveSize(
  height: number,
  width: number,
  port: string,
  explain: () => string,
): void {
  if (height < 1 || width < 1) {
    throw new ShapeError(`${explain()}: the output would be ${height}×${width}`, port);
  }
}
