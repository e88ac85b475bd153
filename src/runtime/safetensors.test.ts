import { describe, expect, it } from 'vitest';
import { readSafeTensors, SafeTensorsError, writeSafeTensors } from './safetensors';

/** A safetensors file with the given header (any JSON) and data bytes. */
function file(header: unknown, dataBytes = 16): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const f32 = (shape: unknown, offsets: unknown) => ({ dtype: 'F32', shape, data_offsets: offsets });

describe('safetensors', () => {
  it('a written file reads back: names, shapes, data and metadata', () => {
    const tensors = new Map([
      ['a', { shape: [2], data: new Float32Array([1, 2]) }],
      ['b', { shape: [1, 1], data: new Float32Array([3]) }],
    ]);
    const read = readSafeTensors(writeSafeTensors(tensors, { note: 'hi' }));
    expect(read.metadata).toEqual({ note: 'hi' });
    expect(read.tensors.get('a')).toEqual({
      dtype: 'F32',
      shape: [2],
      data: new Float32Array([1, 2]),
    });
    expect(read.tensors.get('b')?.shape).toEqual([1, 1]);
  });

  it.each([
    ['a null header', null, /the header is not a JSON object/],
    ['an array header', [1, 2], /the header is not a JSON object/],
    ['a number header', 7, /the header is not a JSON object/],
    ['a null entry', { t: null }, /tensor "t": its header entry is not an object/],
    [
      'an unknown dtype',
      { t: { ...f32([1], [0, 4]), dtype: 'F128' } },
      /tensor "t": dtype expected one of F64, .*received "F128"/,
    ],
    [
      'a dtype named after a prototype key',
      { t: { ...f32([1], [0, 4]), dtype: 'constructor' } },
      /dtype expected/,
    ],
    [
      'a negative shape',
      { t: f32([-1], [4, 0]) },
      /tensor "t": shape expected an array of non-negative integers, received \[-1\]/,
    ],
    [
      'a fractional shape',
      { t: f32([1.5], [0, 6]) },
      /shape expected an array of non-negative integers, received \[1.5\]/,
    ],
    [
      'a string shape',
      { t: f32(['2'], [0, 8]) },
      /shape expected an array of non-negative integers, received \["2"\]/,
    ],
    ['a shape that is no array', { t: f32(2, [0, 8]) }, /shape expected an array/],
    [
      'offsets that end before they begin',
      { t: f32([0], [8, 4]) },
      /data_offsets \[8, 4\] do not fit shape \[0\]/,
    ],
    [
      'negative offsets',
      { t: f32([1], [-4, 0]) },
      /data_offsets expected two non-negative integers, received \[-4,0\]/,
    ],
    [
      'offsets past the data',
      { t: f32([4], [4, 20]) },
      /data_offsets \[4, 20\] do not fit .* in 16 bytes of data/,
    ],
    [
      'offsets shorter than the shape',
      { t: f32([3], [0, 8]) },
      /data_offsets \[0, 8\] do not fit shape \[3\] of F32 \(12 bytes\)/,
    ],
    [
      'fractional offsets',
      { t: f32([1], [0.5, 4.5]) },
      /data_offsets expected two non-negative integers/,
    ],
    [
      'overlapping tensors',
      { a: f32([2], [0, 8]), b: f32([2], [4, 12]) },
      /tensors "a" \[0, 8\] and "b" \[4, 12\] overlap/,
    ],
    [
      'metadata that is not strings',
      { __metadata__: { n: 1 } },
      /__metadata__ expected an object of strings/,
    ],
  ])('%s is a SafeTensorsError saying what was received', (_, header, message) => {
    const read = () => readSafeTensors(file(header));
    expect(read).toThrow(SafeTensorsError);
    expect(read).toThrow(message);
  });

  it('a header length past the file, and a header that is not JSON, are refused', () => {
    const long = file({});
    new DataView(long.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(() => readSafeTensors(long)).toThrow(
      /header length 9223372036854775808 exceeds the file/,
    );
    const garbage = file({});
    garbage[8] = 0xff;
    expect(() => readSafeTensors(garbage)).toThrow(/the header is not valid JSON/);
  });
});
