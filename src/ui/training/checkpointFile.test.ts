import { describe, expect, it } from 'vitest';
import { RUN_FILE_LIMIT, runFileText } from '../runs/runFile';
import { aRun } from '../runs/runFixture';
import { CHECKPOINT_FILE_LIMIT, checkpointOfFile } from './checkpointFile';

/** A file that says it is `size` bytes and fails when read: a refusal by size reads nothing. */
function unreadable(name: string, size: number): File {
  const fail = () => Promise.reject(new Error('read'));
  return { name, size, arrayBuffer: fail, text: fail } as unknown as File;
}

const RUN = aRun({ step: 3 });

describe('the file Open checkpoint… reads', () => {
  it('is a .safetensors checkpoint as it is, refused by its size before it is read', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(await checkpointOfFile(new File([bytes], 'run.safetensors'))).toEqual({
      ok: true,
      bytes,
    });
    expect(
      await checkpointOfFile(unreadable('huge.safetensors', CHECKPOINT_FILE_LIMIT + 2 ** 30)),
    ).toEqual({
      ok: false,
      message: 'it is 3 GiB, more than a checkpoint may be (2 GiB): not read',
    });
  });

  it('or the checkpoint a run file carries; one without, or a damaged one, says so', async () => {
    const withCheckpoint = new File([runFileText(RUN, new Uint8Array([4, 5]))], 'a.json');
    expect(await checkpointOfFile(withCheckpoint)).toEqual({
      ok: true,
      bytes: new Uint8Array([4, 5]),
    });
    const without = await checkpointOfFile(new File([runFileText(RUN)], 'b.json'));
    expect(without).toMatchObject({ ok: false, message: /carries no checkpoint/ });
    const damaged = await checkpointOfFile(new File(['{"version": 2}'], 'c.json'));
    expect(damaged).toMatchObject({ ok: false, message: /^not a run file: version: / });
    const huge = await checkpointOfFile(unreadable('d.json', RUN_FILE_LIMIT + 1));
    expect(huge).toMatchObject({ ok: false, message: /not read$/ });
  });
});
