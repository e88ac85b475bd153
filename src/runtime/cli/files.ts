import { readFileSync } from 'node:fs';
import { readSafeTensors, SafeTensorsError, type SafeTensorsFile } from '../safetensors';
import { UsageError } from './errors';

function readBytes(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message;
    throw new UsageError(`cannot read ${what} ${file}: ${reason}`);
  }
}

export function readGraphFile(file: string): string {
  return readBytes(file, 'graph').toString('utf8');
}

export function readSafeTensorsFile(file: string, what: string): SafeTensorsFile {
  try {
    return readSafeTensors(readBytes(file, what));
  } catch (e) {
    if (e instanceof SafeTensorsError) throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
}
