/**
 * Checkpoints are kept per document: the Checkpoints tab of any document lists every kept one,
 * and another document's opens with its graph, paused at its step, ready to train on. A tiny
 * CycleGAN on the cpu backend, as in the other browser tests: the machine is slow and shared.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GanvasTestHook } from '../../src/ui/training/testHook';
import { openEditor, savedDocument, startEditor, waitForGraph, type Editor } from './harness';

const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1&backend=cpu';

type Hooked = { __ganvas: GanvasTestHook };

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

describe('kept checkpoints', () => {
  test("another document's kept checkpoint is listed, and opens with its graph paused at its step", async () => {
    const { context, page } = await openEditor(editor, undefined, `${TINY}&steps=2`);
    try {
      const trained = JSON.parse(await savedDocument(page)) as { id: string; name: string };
      await page.getByTestId('run').click();
      await page.waitForFunction(
        () => (window as unknown as Hooked).__ganvas.keptStep() === 2,
        null,
        { timeout: 120_000, polling: 200 },
      );

      await page.goto(`${editor.url}?template=dcgan&backend=cpu`);
      await waitForGraph(page);
      await expect.poll(() => page.locator('.toolbar .doc-name').textContent()).toBe('DCGAN');
      if ((await page.getByTestId('tab-checkpoints').count()) === 0) {
        await page.getByTestId('dock-toggle').click();
      }
      await page.getByTestId('tab-checkpoints').click();
      const kept = page.getByTestId(`kept-checkpoint-${trained.id}`);
      await kept.waitFor();
      expect(await kept.textContent()).toContain(`Step 2 of ${trained.name}`);

      await page.getByTestId(`open-kept-${trained.id}`).click();
      await expect
        .poll(() => page.locator('.toolbar .doc-name').textContent())
        .toBe(`${trained.name} (step 2)`);
      await page.waitForFunction(
        () => {
          const h = (window as unknown as Hooked).__ganvas;
          return h.phase() === 'paused' && h.step() === 2;
        },
        null,
        { timeout: 120_000, polling: 200 },
      );
      const opened = JSON.parse(await savedDocument(page)) as { id: string };
      expect(opened.id).not.toBe(trained.id);

      const target = page.getByTestId('target');
      await target.fill('3');
      await target.press('Enter');
      await page.getByTestId('run').click();
      await page.waitForFunction(
        () => {
          const h = (window as unknown as Hooked).__ganvas;
          return h.phase() === 'paused' && h.step() === 3;
        },
        null,
        { timeout: 120_000, polling: 200 },
      );
    } finally {
      await context.close();
    }
  });
});
