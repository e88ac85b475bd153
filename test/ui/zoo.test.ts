/**
 * The MNIST templates train in the browser too: their digits come into the worker as chunks of
 * the `mnist` package, fetched only when a graph trains on builtin:mnist.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Editor, openEditor, pausedAt, startEditor } from './harness';

interface Hook {
  phase(): string;
  step(): number;
  losses(): { step: number; losses: Record<string, number> }[];
}

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

describe('the model zoo in the browser', () => {
  test('the DCGAN template trains on MNIST digits from a link', async () => {
    const link = '/?template=dcgan&size=8&ngf=4&ndf=4&nz=8&batch_size=4&backend=cpu&seed=1&steps=3';
    const { context, page } = await openEditor(editor, undefined, link);
    try {
      await page.getByTestId('run').click();
      await pausedAt(page, 3, 90_000);
      const losses = await page.evaluate(() =>
        (window as unknown as { __ganvas: Hook }).__ganvas.losses(),
      );
      expect(losses.map((r) => r.step)).toEqual([1, 2, 3]);
      for (const record of losses) {
        expect(Object.keys(record.losses).length).toBeGreaterThan(0);
        for (const value of Object.values(record.losses)) expect(Number.isFinite(value)).toBe(true);
      }
    } finally {
      await context.close();
    }
  });
});
