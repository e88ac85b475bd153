/**
 * The DiscoGAN rewire of the CycleGAN template, through the UI only: both L1 cycle losses become
 * L2 and the four LSGAN terms become BCE (the "vanilla" GAN loss, on logits), each in the
 * inspector; five steps on the cpu backend; then the document, the loss curves' legends and the
 * Settings tab's table of loss terms name the new kinds.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { GraphDocument } from '../../src/graph/document';
import type { GanvasTestHook } from '../../src/ui/training/testHook';
import {
  ARTIFACTS,
  type Editor,
  openEditor,
  savedDocument,
  setLossType,
  startEditor,
  stepTo,
} from './harness';

/** A tiny CycleGAN on the cpu backend: five steps take seconds. */
const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1&backend=cpu';
const CYCLE = ['cycle_A', 'cycle_B'];
const ADVERSARIAL = ['G_A', 'G_B', 'D_A', 'D_B'];

/** The page's read-only training hook (training.test.ts declares it on Window for its own use). */
type Hooked = { __ganvas: GanvasTestHook };

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

test('the DiscoGAN rewire of CycleGAN in the UI: L2 cycle losses, BCE adversarial terms, 5 steps, the curves and the terms table name them', async () => {
  const { context, page } = await openEditor(editor, undefined, TINY);
  try {
    for (const id of CYCLE) await setLossType(page, id, 'l2');
    for (const id of ADVERSARIAL) await setLossType(page, id, 'vanilla');

    const doc = JSON.parse(await savedDocument(page)) as GraphDocument;
    const type = (id: string) => doc.nodes.find((n) => n.id === id)?.params?.type;
    for (const id of CYCLE) expect(type(id), id).toBe('l2');
    for (const id of ADVERSARIAL) expect(type(id), id).toBe('vanilla');
    // The identity losses were not touched.
    expect(type('idt_A')).toBe('l1');
    expect(await page.getByTestId('problem-count').textContent()).toBe('0 errors');

    // Five steps with the Step button.
    await stepTo(page, 5, 5);
    const losses = await page.evaluate(() => (window as unknown as Hooked).__ganvas.losses());
    expect(losses.map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
    for (const r of losses) {
      for (const id of [...CYCLE, ...ADVERSARIAL]) {
        expect(Number.isFinite(r.losses[id]), `${id} at step ${r.step}`).toBe(true);
      }
    }

    // The loss curves: every term's legend entry names its kind.
    if ((await page.getByTestId('dock-toggle').getAttribute('aria-expanded')) !== 'true') {
      await page.getByTestId('dock-toggle').click();
    }
    await page.getByTestId('tab-progress').click();
    const legend = async (optimizer: string) => {
      const chart = page.getByTestId(`loss-chart-${optimizer}`);
      await chart.locator('canvas').waitFor();
      return chart.locator('.u-legend .u-series .u-label').allTextContents();
    };
    expect(await legend('opt_G')).toEqual(
      expect.arrayContaining([
        'G_A · BCE',
        'G_B · BCE',
        'cycle_A · L2',
        'cycle_B · L2',
        'idt_A · L1',
        'idt_B · L1',
      ]),
    );
    expect(await legend('opt_D')).toEqual(expect.arrayContaining(['D_A · BCE', 'D_B · BCE']));
    await page.screenshot({ path: join(ARTIFACTS, 'discogan-rewire.png') });

    // The Settings tab's table of the loss terms being trained, as the worker compiled them.
    await page.getByTestId('tab-settings').click();
    for (const id of CYCLE) {
      expect(await page.getByTestId(`loss-term-${id}`).locator('td').nth(1).textContent()).toBe(
        'l2',
      );
    }
    for (const id of ADVERSARIAL) {
      expect(await page.getByTestId(`loss-term-${id}`).locator('td').nth(1).textContent()).toBe(
        'vanilla',
      );
    }
  } finally {
    await context.close();
  }
}, 180_000);
