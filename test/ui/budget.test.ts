/**
 * The memory a training step needs is shown beside Run and checked against the budget the user
 * sets: a graph over it is refused before anything is allocated, and raising the budget lets it
 * train. A tiny CycleGAN on the cpu backend.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openEditor, startEditor, type Editor } from './harness';

const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1&backend=cpu';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

test('a step over the memory budget is refused at Run with its figure, and trains once the budget is raised', async () => {
  const { context, page } = await openEditor(editor, undefined, TINY);
  try {
    await page.getByTestId('dock-toggle').click();
    const memory = page.getByTestId('run-memory');
    await expect
      .poll(() => memory.textContent())
      .toMatch(/^a training step needs about .* of 16 GiB$/);

    await page.getByTestId('tab-settings').click();
    const budget = page.getByTestId('setting-memoryBudgetGiB');
    await budget.fill('0.001953125');
    await budget.press('Enter');
    await expect.poll(() => memory.textContent()).toMatch(/^Too large: .* of 2 MiB$/);
    await page.getByTestId('run').click();
    await expect
      .poll(() => page.getByTestId('report-problem').first().textContent())
      .toMatch(/a training step needs about .*; the limit is 2 MiB \(raise the memory budget/);
    await page.keyboard.press('Escape');

    await budget.fill('2');
    await budget.press('Enter');
    await expect.poll(() => memory.textContent()).toMatch(/of 2 GiB$/);
    await page.getByTestId('step').click();
    await page.waitForFunction(
      () => (window as unknown as { __ganvas: { step(): number } }).__ganvas.step() === 1,
      undefined,
      { timeout: 120_000, polling: 200 },
    );
  } finally {
    await context.close();
  }
});
