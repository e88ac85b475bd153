/**
 * Zip archives read from their central directory, so that what each entry declares (its name,
 * its size) is known before anything is inflated, and nothing is inflated that is not asked for.
 * An entry inflates a slice at a time and is refused as soon as it passes the size it declared:
 * a header cannot make the reader reserve or fill more than the caller agreed to.
 */
import { Inflate } from 'fflate';

export interface ZipEntry {
  name: string;
  /** 0: stored; 8: deflate. Others are listed but not read. */
  method: number;
  /** What the entry declares it inflates to. */
  size: number;
  /** Its bytes: inflated now, and refused past the size it declares. */
  read(): Uint8Array;
}

const SLICE = 4096;

function damaged(why: string): Error {
  return new Error(`damaged zip: ${why}`);
}

/** The entries of a zip, from its central directory; throws when it is not a zip or is damaged. */
export function zipEntries(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const u64 = (at: number) => Number(view.getBigUint64(at, true));
  let end = zip.length - 22;
  while (end >= 0 && u32(end) !== 0x06054b50) {
    if (zip.length - end > 65_557 || end === 0) end = -1;
    else end--;
  }
  if (end < 0) throw new Error('not a zip file: its end of central directory is missing');
  let count = u16(end + 10);
  let at = u32(end + 16);
  if (end >= 20 && u32(end - 20) === 0x07064b50) {
    const zip64 = u64(end - 12);
    if (zip64 + 56 > zip.length || u32(zip64) !== 0x06064b50)
      throw damaged('its zip64 end is missing');
    count = u64(zip64 + 32);
    at = u64(zip64 + 48);
  }
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || u32(at) !== 0x02014b50)
      throw damaged(`central entry ${i} is missing`);
    const method = u16(at + 10);
    let compressed = u32(at + 20);
    let size = u32(at + 24);
    const [nameLength, extraLength, commentLength] = [u16(at + 28), u16(at + 30), u16(at + 32)];
    let local = u32(at + 42);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > zip.length) throw damaged(`central entry ${i} runs past the end`);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    // Zip64: the sizes and offset that do not fit 32 bits are in an extra field, in this order.
    for (let e = at + 46 + nameLength; e + 4 <= at + 46 + nameLength + extraLength;) {
      const [id, length] = [u16(e), u16(e + 2)];
      if (id === 0x0001) {
        let f = e + 4;
        const field = () => {
          if (f + 8 > e + 4 + length) throw damaged(`the zip64 sizes of "${name}" are cut`);
          f += 8;
          return u64(f - 8);
        };
        if (size === 0xffffffff) size = field();
        if (compressed === 0xffffffff) compressed = field();
        if (local === 0xffffffff) local = field();
      }
      e += 4 + length;
    }
    entries.push({
      name,
      method,
      size,
      read: () => readEntry(zip, { name, method, size, compressed, local }),
    });
    at = next;
  }
  return entries;
}

function readEntry(
  zip: Uint8Array,
  entry: { name: string; method: number; size: number; compressed: number; local: number },
): Uint8Array {
  const { name, method, size, compressed, local } = entry;
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  if (local + 30 > zip.length || view.getUint32(local, true) !== 0x04034b50)
    throw damaged(`the local header of "${name}" is missing`);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + compressed > zip.length) throw damaged(`"${name}" runs past the end`);
  const data = zip.subarray(start, start + compressed);
  const lie = (held: string) =>
    `"${name}" holds ${held} bytes, not the ${size} its header declares`;
  if (method === 0) {
    if (compressed !== size) throw damaged(lie(String(compressed)));
    return data.slice();
  }
  if (method !== 8)
    throw new Error(`"${name}" is compressed with method ${method}, which is not read`);
  const out = new Uint8Array(size);
  let filled = 0;
  const inflater = new Inflate((part) => {
    if (filled + part.length <= size) out.set(part, filled);
    filled += part.length;
  });
  for (let at = 0; at < data.length && filled <= size; at += SLICE) {
    const last = at + SLICE >= data.length;
    try {
      inflater.push(data.subarray(at, at + SLICE), last);
    } catch (e) {
      throw damaged(`"${name}" does not inflate (${(e as Error).message})`);
    }
  }
  if (filled > size) throw damaged(lie(`more than ${size}`));
  if (filled < size) throw damaged(lie(String(filled)));
  return out;
}
