import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_SIZE_LIMIT } from '../graph/document';
import { decodeShareFragment } from './persistence';

function link(bytes: Uint8Array): string {
  return `#graph=${Buffer.from(bytes).toString('base64url')}`;
}

describe('share links are read within the document cap', () => {
  it('a link that inflates past the cap is refused at the cap, naming it', async () => {
    // 64 MiB of spaces deflate to about 64 KiB: the 256 MiB link of the issue, scaled down.
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, ' '), { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const result = await decodeShareFragment(link(bomb));
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: '$',
          code: 'limit',
          message: `the link's graph inflates past ${DOCUMENT_SIZE_LIMIT / 1024 / 1024} MiB: refused`,
        },
      ],
    });
  });

  it('a link of text that is not UTF-8 is damaged, not read with replacement characters', async () => {
    const result = await decodeShareFragment(link(deflateSync(Buffer.from([0x7b, 0xff, 0x7d]))));
    expect(result?.ok).toBe(false);
    if (result && !result.ok) {
      expect(result.problems[0]).toMatchObject({ path: '$', code: 'link' });
      expect(result.problems[0]!.message).toMatch(/^the link is damaged: /);
    }
  });
});
