/**
 * The quality curve in a real browser: a short run of a tiny CycleGAN on the built-in scenes on
 * the cpu backend, measured every 2 steps, shows one chart per translating generator with its
 * identity and blank baselines.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ARTIFACTS, openEditor, startEditor, type Editor } from './harness';

const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1&backend=cpu&steps=6';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

test('a short run measured every 2 steps draws its quality curves against both baselines', async () => {
  const { context, page } = await openEditor(editor, undefined, TINY);
  try {
    await page.getByTestId('dock-toggle').click();
    await page.getByTestId('tab-settings').click();
    const every = page.getByTestId('setting-qualityEvery');
    await every.fill('2');
    await every.press('Enter');
    await page.getByTestId('tab-progress').click();
    await page.getByTestId('run').click();
    await page.waitForFunction(
      () => {
        const hook = (window as unknown as { __ganvas: { phase(): string; step(): number } })
          .__ganvas;
        return hook.phase() === 'paused' && hook.step() === 6;
      },
      undefined,
      { timeout: 180_000, polling: 200 },
    );
    for (const network of ['G_A', 'G_B']) {
      const chart = page.getByTestId(`quality-chart-translation-${network}`);
      await chart.locator('canvas').waitFor();
      await expect.poll(() => chart.getAttribute('data-points')).toBe('3');
      // Each series has its own visible legend entry, the baselines dashed beside the model's.
      for (const series of [`${network} L1`, 'identity baseline', 'blank baseline']) {
        const entry = chart.locator('.u-legend .u-series', { hasText: series });
        expect(await entry.isVisible(), series).toBe(true);
      }
    }
    await page.getByTestId('quality').screenshot({ path: join(ARTIFACTS, 'quality.png') });
  } finally {
    await context.close();
  }
});
