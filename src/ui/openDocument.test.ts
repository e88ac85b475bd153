import { describe, expect, it } from 'vitest';
import { DOCUMENT_SIZE_LIMIT } from '../graph/document';
import { GRAPH_PNG_LIMIT, graphFileText } from './openDocument';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A file of `size` bytes that starts with `head` (the rest zeros, never read when refused). */
function fileOf(name: string, size: number, head: readonly number[] = []): File {
  const bytes = new Uint8Array(size);
  bytes.set(head);
  return new File([bytes], name);
}

describe('opening a graph file', () => {
  it('refuses a JSON file larger than a document may be by its size, before reading it', async () => {
    await expect(graphFileText(fileOf('huge.json', DOCUMENT_SIZE_LIMIT + 2 ** 20))).rejects.toThrow(
      'it is 9 MiB, more than a graph file may be (8 MiB): not read',
    );
    const small = new File([JSON.stringify({ format: 'ganvas' })], 'small.json');
    expect(await graphFileText(small)).toBe('{"format":"ganvas"}');
  });

  it('lets a sample PNG be larger than a JSON graph, up to its own limit', async () => {
    // Past the JSON limit, so it is read as a PNG, whose damage is then what is said.
    const read = await graphFileText(
      fileOf('samples.png', DOCUMENT_SIZE_LIMIT + 1, PNG_SIGNATURE),
    ).catch((e: unknown) => (e as Error).message);
    expect(read).not.toMatch(/not read/);
    await expect(
      graphFileText(fileOf('huge.png', GRAPH_PNG_LIMIT + 2 ** 20, PNG_SIGNATURE)),
    ).rejects.toThrow('it is 257 MiB, more than a graph PNG may be (256 MiB): not read');
  });
});
