/**
 * Problems said at their cause and brought into view, forms that fit their node, and samples
 * to look at, in a real browser (Chromium driven by playwright-core against a production build).
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ARTIFACTS,
  openEditor,
  setLossType,
  startEditor,
  stepTo,
  waitForGraph,
  type Editor,
} from './harness';

const SMALL = '?template=cyclegan&size=32&ngf=8&ndf=8&n_blocks=2';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

async function setVariable(page: Page, name: string, value: string): Promise<void> {
  const input = page.getByTestId(`variable-input-${name}`);
  await input.fill(value);
  await input.press('Enter');
}

/** How far the centre of an element is from the centre of the canvas, in pixels. */
async function offCentre(page: Page, testId: string): Promise<number> {
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  const box = await page.getByTestId(testId).boundingBox();
  if (!box) return Infinity;
  return Math.hypot(
    box.x + box.width / 2 - (canvas.x + canvas.width / 2),
    box.y + box.height / 2 - (canvas.y + canvas.height / 2),
  );
}

describe('problems at their cause', () => {
  test("G_A's model.4 at stride 1 gives a problem naming G_A and model.4 at the generator", async () => {
    const { context, page } = await openEditor(editor, undefined, SMALL);
    try {
      await page.getByTestId('node-fake_B').dblclick();
      await page.getByTestId('breadcrumb-network').waitFor();
      await waitForGraph(page);
      await page.getByTestId('node-model.4').click();
      const stride = page.getByTestId('field-input-stride');
      await stride.fill('1');
      await stride.press('Enter');
      await page.getByTestId('breadcrumb-root').click();
      await page.getByTestId('node-cycle_A').waitFor();
      await waitForGraph(page);

      const item = page.getByTestId('problem-item').filter({ hasText: 'G_A · model.4' }).first();
      await item.waitFor();
      expect(await item.getByTestId('problem-place').textContent()).toBe('fake_B · out');
      expect(await item.textContent()).toContain(
        'G_A · model.4 (stride 1) makes 64×64 from 32×32; fake_B must be 32×32 like real_A',
      );
      // The JSON path stays as the detail.
      expect(await item.textContent()).toContain('networks[0].body.nodes[5].params.stride');
      // Said first, before the losses where the shapes collide.
      const first = page.getByTestId('problem-item').first();
      expect(await first.textContent()).toContain('G_A · model.4');
      expect(await page.getByTestId('node-problem-fake_B').textContent()).toContain('model.4');
      await page.screenshot({ path: join(ARTIFACTS, 'causes-stride.png') });
    } finally {
      await context.close();
    }
  });

  test('size=30 gives a problem at the variable: two stride-2 downsamplings need a multiple of 4', async () => {
    const { context, page } = await openEditor(editor, undefined, SMALL);
    try {
      await setVariable(page, 'size', '30');
      const said = page.getByTestId('variable-problems-size');
      await said.waitFor();
      expect(await said.textContent()).toBe(
        'size=30: G_A and G_B downsample by 4 (model.4, model.7 stride 2), so size must be a multiple of 4: try 28 or 32',
      );
      const item = page.getByTestId('problem-item').first();
      expect(await item.getByTestId('problem-place').textContent()).toBe('variable size');
      await item.click();
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
        .toBe('variable-input-size');
    } finally {
      await context.close();
    }
  });

  test('clicking a problem centres its place', async () => {
    const { context, page } = await openEditor(editor, undefined, SMALL);
    try {
      await setVariable(page, 'size', '30');
      await page.getByTestId('problem-item').first().waitFor();
      expect(await offCentre(page, 'node-cycle_B')).toBeGreaterThan(40);
      await page.getByTestId('problem-item').filter({ hasText: 'cycle_B.target' }).click();
      await expect.poll(() => offCentre(page, 'node-cycle_B'), { timeout: 5000 }).toBeLessThan(40);
    } finally {
      await context.close();
    }
  });
});

describe('samples to look at', () => {
  test('a DCGAN batch of 8 shows 8 samples; a click enlarges one; a slider goes back a step', async () => {
    const { context, page } = await openEditor(
      editor,
      undefined,
      '?template=dcgan&size=8&nz=8&ngf=4&ndf=4&batch_size=8&backend=cpu&seed=1',
    );
    try {
      await page.getByTestId('dock-toggle').click();
      await stepTo(page, 1, 1);
      await page.getByTestId('tab-progress').click();
      const batch = page.getByTestId('sample-batch-show_fake');
      await batch.waitFor();
      expect(await batch.locator('canvas').count()).toBe(8);

      await page.getByTestId('sample-image-show_fake-5').click();
      const lightbox = page.getByTestId('sample-lightbox');
      await lightbox.waitFor();
      expect(await lightbox.textContent()).toContain('image 6 of 8');
      const big = (await page.getByTestId('sample-lightbox-image').boundingBox())!;
      expect(big.width).toBeGreaterThanOrEqual(300);
      await page.screenshot({ path: join(ARTIFACTS, 'causes-sample-lightbox.png') });
      await page.getByTestId('sample-lightbox-close').click();

      await stepTo(page, 1, 2);
      await expect.poll(() => page.getByTestId('samples-step').textContent()).toBe('step 2');
      const slider = page.getByTestId('samples-history');
      await slider.fill('0');
      expect(await page.getByTestId('samples-step').textContent()).toBe('step 1');
      expect(await batch.locator('canvas').count()).toBe(8);
    } finally {
      await context.close();
    }
  });
});

describe('forms that fit', () => {
  test("an L1 Loss's form has its type and weight, and no margin, gamma, lambdaK or role", async () => {
    const { context, page } = await openEditor(editor, undefined, SMALL);
    try {
      await page.getByTestId('node-cycle_A').click();
      await page.getByTestId('field-type').waitFor();
      expect(await page.getByTestId('field-weight').count()).toBe(1);
      for (const name of ['margin', 'gamma', 'lambdaK', 'role']) {
        expect(await page.getByTestId(`field-${name}`).count(), name).toBe(0);
      }
      // A type that reads a margin shows it.
      await setLossType(page, 'cycle_A', 'ebgan');
      await page.getByTestId('field-margin').waitFor();
      expect(await page.getByTestId('field-role').count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  test("a new GradientPenalty offers a choice of the document's networks and is valid", async () => {
    const { context, page } = await openEditor(editor, undefined, '?template=wgan-gp');
    try {
      await page.getByTestId('palette-search').fill('gradient');
      await page.getByTestId('palette-item-GradientPenalty').click();
      await page.getByTestId('node-gradientpenalty').waitFor();
      await page.getByTestId('node-gradientpenalty').click();
      const network = page.getByTestId('field-input-network');
      expect(await network.evaluate((e) => e.tagName)).toBe('SELECT');
      expect(await network.inputValue()).toBe('D');
      const options = await network.locator('option').allTextContents();
      expect(options.some((o) => o.startsWith('D'))).toBe(true);
      expect(await page.getByTestId('field-error-network').count()).toBe(0);
      expect(await page.locator('.inspector').textContent()).not.toContain('Invalid input');
    } finally {
      await context.close();
    }
  });
});
