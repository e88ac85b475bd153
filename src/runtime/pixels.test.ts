import { describe, expect, it } from 'vitest';
import {
  byteOfUnit,
  byteOfValue,
  rgbToValues,
  valueOfByte,
  valuesToRgb,
  valuesToRgba,
} from './pixels';

describe('pixels between bytes and [-1, 1]', () => {
  it('every byte goes to [-1, 1] and back to itself', () => {
    for (let b = 0; b < 256; b++) expect(byteOfValue(valueOfByte(b))).toBe(b);
    expect([valueOfByte(0), valueOfByte(255)]).toEqual([-1, 1]);
  });

  it('values outside [-1, 1] and NaN are clamped, as a canvas would', () => {
    expect([-3, 1.5, Number.NaN, Infinity].map(byteOfValue)).toEqual([0, 255, 0, 255]);
  });

  it('a float32 byte value is what the datasets computed before, bit for bit', () => {
    // MNIST wrote (v / 255) * 2 - 1, the folders v / 127.5 - 1: the same float32 for every byte.
    const rgb = Uint8Array.from({ length: 256 }, (_, i) => i);
    const values = rgbToValues([...rgb].flatMap((v) => [v, v, v]));
    expect([...values.filter((_, i) => i % 3 === 0)]).toEqual([
      ...Float32Array.from(rgb, (v) => (v / 255) * 2 - 1),
    ]);
  });

  it('one channel in is the mean of red, green and blue; out it is replicated', () => {
    const grey = rgbToValues([255, 0, 0, 0, 0, 255], 1);
    expect([...grey]).toEqual([valueOfByte(85), valueOfByte(85)].map(Math.fround));
    expect([...valuesToRgb([1, -1], 2, 1)]).toEqual([255, 255, 255, 0, 0, 0]);
  });

  it('RGBA bytes are opaque and take the first image of a batch', () => {
    const batch = new Float32Array([-1, 0, 1, 1, 0, -1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect([...valuesToRgba(batch, 2, 3)]).toEqual([0, 128, 255, 255, 255, 128, 0, 255]);
  });

  it('grey levels in [0, 1] become bytes', () => {
    expect([0, 0.5, 1].map(byteOfUnit)).toEqual([0, 128, 255]);
  });
});
