/**
 * The user's experiment: train the CycleGAN template a few steps, rewire it the DiscoGAN way
 * (L2 cycle losses, BCE adversarial terms), train again, and compare the two runs in the Runs
 * tab: both listed, their curves overlaid, the difference of their graphs in words. Then a run
 * exported from one browser profile and imported into a fresh one compares with a run there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ARTIFACTS, openEditor, setLossType, startEditor, stepTo, type Editor } from './harness';

const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1&backend=cpu';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

async function openRuns(page: Page, count: number) {
  if ((await page.getByTestId('dock-toggle').getAttribute('aria-expanded')) !== 'true') {
    await page.getByTestId('dock-toggle').click();
  }
  await page.getByTestId('tab-runs').click();
  await expect.poll(() => page.getByTestId('run-row').count()).toBe(count);
}

/** Picks rows (newest first on the page) in the order given: the first picked is run 1. */
async function compare(page: Page, rows: number[]) {
  for (const row of rows) await page.getByTestId('run-pick').nth(row).check();
  await page.getByTestId('compare').waitFor();
}

async function stop(page: Page) {
  await page.getByTestId('stop').click();
  await page.waitForFunction(
    () => (window as unknown as { __ganvas: { phase(): string } }).__ganvas.phase() === 'stopped',
  );
}

const diffLines = (page: Page) => page.getByTestId('graph-diff').locator('li').allTextContents();

test('two runs of CycleGAN, before and after the DiscoGAN rewire, compare: both listed, curves overlaid, the changed losses named', async () => {
  const { context, page } = await openEditor(editor, undefined, TINY);
  let exported: string;
  try {
    await stepTo(page, 3, 3);
    await stop(page);
    for (const id of ['cycle_A', 'cycle_B']) await setLossType(page, id, 'l2');
    for (const id of ['G_A', 'G_B', 'D_A', 'D_B']) await setLossType(page, id, 'vanilla');
    await stepTo(page, 3, 3);

    await openRuns(page, 2);
    // Newest first: the rewired run is row 0; the first run is run 1 of the comparison.
    await compare(page, [1, 0]);
    expect(await page.getByTestId('compare-runs').locator('li').count()).toBe(2);
    const overlay = page.getByTestId('overlay-cycle_A');
    await overlay.locator('canvas').waitFor();
    // One line per run, named by its number in the comparison.
    const legend = await overlay.locator('.u-legend .u-series .u-label').allTextContents();
    expect(legend.map((l) => l.split(':')[0])).toEqual(['1', '2']);
    await expect
      .poll(() => diffLines(page))
      .toEqual(
        expect.arrayContaining([
          'cycle_A: type l1 → l2',
          'cycle_B: type l1 → l2',
          'G_A: type lsgan → vanilla (written =gan_mode → vanilla)',
          'D_B: type lsgan → vanilla (written =gan_mode → vanilla)',
        ]),
      );
    await page.screenshot({ path: join(ARTIFACTS, 'experiments-compare.png') });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('run-row').nth(0).getByTestId('run-export').click(),
    ]);
    exported = readFileSync((await download.path())!, 'utf8');
  } finally {
    await context.close();
  }

  // Another browser profile: nothing kept but what is imported.
  const fresh = await openEditor(editor, undefined, TINY);
  try {
    const { page } = fresh;
    await stepTo(page, 2, 2);
    await openRuns(page, 1);
    await page.getByTestId('run-import').setInputFiles({
      name: 'discogan.ganvas-run.json',
      mimeType: 'application/json',
      buffer: Buffer.from(exported),
    });
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(2);
    const steps = await page.getByTestId('run-steps').allTextContents();
    expect(steps.sort()).toEqual(['2 steps', '3 steps']);
    await compare(page, [0, 1]);
    await page.getByTestId('overlay-cycle_A').locator('canvas').waitFor();
    const lines = await diffLines(page);
    // Whichever came first, the cycle losses' types differ between the two.
    expect(
      lines.some((l) => /^cycle_A: type (l1 → l2|l2 → l1)$/.test(l)),
      lines.join('\n'),
    ).toBe(true);
  } finally {
    await fresh.context.close();
  }
}, 300_000);

test('a run exported with its checkpoint trains on in another browser: its graph opened, then the same file as the checkpoint', async () => {
  const { context, page } = await openEditor(editor, undefined, TINY);
  let exported: string;
  try {
    await stepTo(page, 3, 3);
    // Stopping keeps the run's state as its document's checkpoint.
    await stop(page);
    await openRuns(page, 1);
    await page.getByLabel('Export with the checkpoint').check();
    // The recorder links the run to its checkpoint a moment after the pause.
    await expect
      .poll(() => page.getByTestId('run-row').first().textContent())
      .toContain('checkpoint at 3');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('run-row').first().getByTestId('run-export').click(),
    ]);
    exported = readFileSync((await download.path())!, 'utf8');
  } finally {
    await context.close();
  }
  const file = { name: 'cyclegan.ganvas-run.json', mimeType: 'application/json' };

  const fresh = await openEditor(editor);
  try {
    const { page } = fresh;
    const workers: string[] = [];
    page.on('worker', (worker) => workers.push(worker.url()));
    await page.getByTestId('dock-toggle').click();
    await page.getByTestId('tab-runs').click();
    await page.getByTestId('run-import').setInputFiles({ ...file, buffer: Buffer.from(exported) });
    await expect.poll(() => page.getByTestId('run-row').count()).toBe(1);
    expect(await page.getByTestId('notice').textContent()).toMatch(/It carries its checkpoint/);
    // Where the checkpoint was kept in the other browser means nothing here.
    expect(await page.getByTestId('run-row').textContent()).not.toContain('checkpoint at');
    await page.getByTestId('run-open').click();
    await page.getByTestId('tab-checkpoints').click();
    await page
      .getByTestId('open-checkpoint-input')
      .setInputFiles({ ...file, buffer: Buffer.from(exported) });
    await page.waitForFunction(() => {
      const hook = (window as unknown as { __ganvas: { phase(): string; step(): number } })
        .__ganvas;
      return hook.phase() === 'paused' && hook.step() === 3;
    });
    await stepTo(page, 1, 4);
    // Read off the page's thread, the import and the checkpoint each in a worker of its own: a
    // run with its checkpoint is hundreds of megabytes of JSON at 256×256.
    expect(workers.filter((url) => /runFileWorker/.test(url))).toHaveLength(2);
  } finally {
    await fresh.context.close();
  }
}, 300_000);
