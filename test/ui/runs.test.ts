/**
 * A run belongs to its document and tells the truth about its history: curves keep the labels
 * of the program that trained them across an edit, another graph never offers to continue the
 * run of the one before, and a reload offers to resume where training was. A tiny CycleGAN on
 * the cpu backend: a few steps take seconds.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GanvasTestHook } from '../../src/ui/training/testHook';
import { openEditor, setLossType, startEditor, stepTo, waitForGraph, type Editor } from './harness';

const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1&backend=cpu';

type Hooked = { __ganvas: GanvasTestHook };
/** The steps whose losses the page shows for the document being edited. */
const shownSteps = (page: Page) =>
  page.evaluate(() => (window as unknown as Hooked).__ganvas.losses().map((r) => r.step));

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

/** The legend of a chart with the cursor on `step`: label → value, and the step it shows. */
async function legendAt(
  page: Page,
  optimizer: string,
  step: number,
  last: number,
): Promise<{ step: string; values: Record<string, string> }> {
  const chart = page.getByTestId(`loss-chart-${optimizer}`);
  const box = (await chart.locator('.u-over').boundingBox())!;
  // The x axis runs from step 1 to the last; its right edge is just outside the plot.
  const x = Math.min(((step - 1) / (last - 1)) * box.width, box.width - 1);
  await page.mouse.move(box.x + x, box.y + box.height / 2);
  const rows = chart.locator('.u-legend .u-series');
  const labels = await rows.locator('.u-label').allTextContents();
  const values = await rows.locator('.u-value').allTextContents();
  return {
    step: values[0]!,
    values: Object.fromEntries(labels.slice(1).map((l, i) => [l, values[i + 1]!])),
  };
}

describe('runs in the browser', () => {
  test('after rewiring a loss mid-run, the curves keep the label of the program that trained each step, with a mark where it changed', async () => {
    const { context, page } = await openEditor(editor, undefined, TINY);
    try {
      await stepTo(page, 3, 3);
      await setLossType(page, 'cycle_A', 'l2');
      await stepTo(page, 2, 5);
      await expect
        .poll(() => page.getByTestId('training-notice').textContent())
        .toContain('Continuing at step 3 with the edited graph');

      await page.getByTestId('tab-progress').click();
      const chart = page.getByTestId('loss-chart-opt_G');
      await expect
        .poll(() => chart.locator('.u-legend .u-label').allTextContents())
        .toEqual(expect.arrayContaining(['cycle_A · L1', 'cycle_A · L2', 'cycle_B · L1']));
      const before = await legendAt(page, 'opt_G', 2, 5);
      expect(before.step).toBe('2');
      expect(before.values['cycle_A · L1']).toMatch(/^\d/);
      expect(before.values['cycle_A · L2']).toBe('–');
      // The chart redraws at most every 250 ms: hover again until it shows the last step.
      await expect.poll(async () => (await legendAt(page, 'opt_G', 5, 5)).step).toBe('5');
      const after = await legendAt(page, 'opt_G', 5, 5);
      expect(after.values['cycle_A · L1']).toBe('–');
      expect(after.values['cycle_A · L2']).toMatch(/^\d/);
      // A term that was not rewired is one curve through the change.
      expect(before.values['cycle_B · L1']).toMatch(/^\d/);
      expect(after.values['cycle_B · L1']).toMatch(/^\d/);
      expect(await chart.getByTestId('program-change').getAttribute('data-step')).toBe('3');
    } finally {
      await context.close();
    }
  });

  test('another graph shows its own run (none), and going back shows the first one again', async () => {
    const { context, page } = await openEditor(editor, undefined, TINY);
    try {
      await stepTo(page, 2, 2);
      const run = page.getByTestId('run');
      expect(await run.textContent()).toBe('▶ Continue');

      await page.getByTestId('templates').click();
      await page.getByTestId('template-dcgan.json').click();
      await waitForGraph(page);
      expect(await run.textContent()).toBe('▶ Run');
      expect(await page.getByTestId('training-step').textContent()).toBe('0');
      expect(await shownSteps(page)).toEqual([]);

      await page.getByTestId('undo').click();
      await expect.poll(() => page.getByTestId('training-step').textContent()).toBe('2');
      expect(await run.textContent()).toBe('▶ Continue');
      expect(await shownSteps(page)).toEqual([1, 2]);
    } finally {
      await context.close();
    }
  });

  test('after a reload, the panel offers to resume from the last step kept', async () => {
    const { context, page } = await openEditor(editor, undefined, TINY);
    try {
      await stepTo(page, 2, 2);
      await page.waitForFunction(() => (window as unknown as Hooked).__ganvas.keptStep() === 2);
      await page.reload();
      await waitForGraph(page);
      const resume = page.getByTestId('resume-kept');
      expect(await resume.textContent()).toBe('Resume from step 2 (saved just now)');
      await resume.click();
      await expect.poll(() => page.getByTestId('training-step').textContent()).toBe('2');
      expect(await page.evaluate(() => (window as unknown as Hooked).__ganvas.phase())).toBe(
        'paused',
      );
      expect(await shownSteps(page)).toEqual([1, 2]);
    } finally {
      await context.close();
    }
  });
});
