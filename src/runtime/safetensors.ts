/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header
 * ({name: {dtype, shape, data_offsets}, __metadata__}), then raw little-endian data.
 * Float32 tensors are read and written; other dtypes are listed so callers can say what they skip.
 */

export interface SafeTensor {
  dtype: string;
  shape: number[];
  /** Float32 data, or undefined for a dtype other than F32. */
  data?: Float32Array;
}

export interface SafeTensorsFile {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
}

export class SafeTensorsError extends Error {}

const BYTES: Record<string, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
};

export function readSafeTensors(bytes: Uint8Array): SafeTensorsFile {
  if (bytes.byteLength < 8) throw new SafeTensorsError('file too short for a safetensors header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.byteLength - 8) {
    throw new SafeTensorsError(
      `header length ${headerLength} exceeds the file (${bytes.byteLength} bytes): not a safetensors file, or truncated`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw new SafeTensorsError('the header is not valid JSON: not a safetensors file');
  }
  const dataStart = 8 + headerLength;
  const tensors = new Map<string, SafeTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (
      !e ||
      typeof e.dtype !== 'string' ||
      !Array.isArray(e.shape) ||
      !Array.isArray(e.data_offsets)
    ) {
      throw new SafeTensorsError(
        `tensor "${name}": header entry lacks dtype, shape or data_offsets`,
      );
    }
    const [begin, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    const width = BYTES[e.dtype];
    if (width === undefined)
      throw new SafeTensorsError(`tensor "${name}": unknown dtype ${e.dtype}`);
    if (end - begin !== count * width || dataStart + end > bytes.byteLength || begin < 0) {
      throw new SafeTensorsError(
        `tensor "${name}": data_offsets [${begin}, ${end}] do not fit shape [${e.shape}] of ${e.dtype} in a file of ${bytes.byteLength} bytes`,
      );
    }
    let data: Float32Array | undefined;
    if (e.dtype === 'F32') {
      // Copy: the data may not be 4-byte aligned within the file.
      data = new Float32Array(count);
      new Uint8Array(data.buffer).set(bytes.subarray(dataStart + begin, dataStart + end));
    }
    tensors.set(name, { dtype: e.dtype, shape: e.shape, ...(data ? { data } : {}) });
  }
  return { tensors, metadata };
}

export function writeSafeTensors(
  tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    header[name] = {
      dtype: 'F32',
      shape: [...t.shape],
      data_offsets: [offset, offset + t.data.byteLength],
    };
    offset += t.data.byteLength;
  }
  header.__metadata__ = metadata;
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const name of names) {
    const t = tensors.get(name)!;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}
