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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

interface Placed {
  name: string;
  begin: number;
  end: number;
}

/** One header entry checked: a known dtype, a shape of counts, offsets in the data that fit it. */
function headerEntry(
  name: string,
  entry: unknown,
  dataLength: number,
): { dtype: string; shape: number[]; begin: number; end: number } {
  const where = `tensor "${name}"`;
  if (!isRecord(entry)) throw new SafeTensorsError(`${where}: its header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string' || !Object.hasOwn(BYTES, dtype)) {
    throw new SafeTensorsError(
      `${where}: dtype expected one of ${Object.keys(BYTES).join(', ')}, received ${JSON.stringify(dtype)}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new SafeTensorsError(
      `${where}: shape expected an array of non-negative integers, received ${JSON.stringify(shape)}`,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw new SafeTensorsError(
      `${where}: data_offsets expected two non-negative integers, received ${JSON.stringify(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  const bytes = shape.reduce((a, b) => a * b, BYTES[dtype]!);
  if (end < begin || end > dataLength || end - begin !== bytes) {
    throw new SafeTensorsError(
      `${where}: data_offsets [${begin}, ${end}] do not fit shape [${shape.join(', ')}] of ${dtype} (${bytes} bytes) in ${dataLength} bytes of data`,
    );
  }
  return { dtype, shape: shape as number[], begin, end };
}

/**
 * Reads a safetensors file, checking its header as strictly as the format's reference reader
 * does: every entry's dtype known, its shape non-negative integers, its offsets inside the data,
 * as long as the shape needs, and overlapping no other tensor. Anything else is a
 * SafeTensorsError saying which tensor and what was received.
 */
export function readSafeTensors(bytes: Uint8Array): SafeTensorsFile {
  if (bytes.byteLength < 8) throw new SafeTensorsError('file too short for a safetensors header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.byteLength - 8)) {
    throw new SafeTensorsError(
      `header length ${headerLength} exceeds the file (${bytes.byteLength} bytes): not a safetensors file, or truncated`,
    );
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)),
    );
  } catch {
    throw new SafeTensorsError('the header is not valid JSON: not a safetensors file');
  }
  if (!isRecord(header)) {
    throw new SafeTensorsError('the header is not a JSON object: not a safetensors file');
  }
  const dataLength = bytes.byteLength - dataStart;
  const tensors = new Map<string, SafeTensor>();
  const placed: Placed[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (!isRecord(entry) || !Object.values(entry).every((v) => typeof v === 'string')) {
        throw new SafeTensorsError('__metadata__ expected an object of strings');
      }
      metadata = entry as Record<string, string>;
      continue;
    }
    const { dtype, shape, begin, end } = headerEntry(name, entry, dataLength);
    placed.push({ name, begin, end });
    let data: Float32Array | undefined;
    if (dtype === 'F32') {
      // Copy: the data may not be 4-byte aligned within the file.
      data = new Float32Array((end - begin) / 4);
      new Uint8Array(data.buffer).set(bytes.subarray(dataStart + begin, dataStart + end));
    }
    tensors.set(name, { dtype, shape, ...(data ? { data } : {}) });
  }
  placed.sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < placed.length; i++) {
    const [before, after] = [placed[i - 1]!, placed[i]!];
    if (after.begin < before.end) {
      throw new SafeTensorsError(
        `tensors "${before.name}" [${before.begin}, ${before.end}] and "${after.name}" [${after.begin}, ${after.end}] overlap`,
      );
    }
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
