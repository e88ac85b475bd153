/**
 * The quality curve in a real browser: a short run of a tiny CycleGAN on the cpu backend,
 * measured every 2 steps, shows one chart per translating generator with its identity and blank
 * baselines: on the built-in scenes, and on a dropped folder whose test images pair by name.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { gradient, pngBytes, temporaryFolder, writeFiles } from '../data/imageFiles';
import { ARTIFACTS, type Editor, openEditor, pausedAt, startEditor } from './harness';

const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1&backend=cpu&steps=6';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

async function measureEvery(page: Page, steps: number): Promise<void> {
  await page.getByTestId('tab-settings').click();
  const every = page.getByTestId('setting-qualityEvery');
  await every.fill(String(steps));
  await every.press('Enter');
}

async function runUntilPaused(page: Page, step: number): Promise<void> {
  await page.getByTestId('tab-progress').click();
  await page.getByTestId('run').click();
  await pausedAt(page, step, 180_000);
}

async function expectTranslationCharts(page: Page, points: number): Promise<void> {
  for (const network of ['G_A', 'G_B']) {
    const chart = page.getByTestId(`quality-chart-translation-${network}`);
    await chart.locator('canvas').waitFor();
    await expect.poll(() => chart.getAttribute('data-points')).toBe(String(points));
    // Each series has its own visible legend entry, the baselines dashed beside the model's.
    for (const series of [`${network} L1`, 'identity baseline', 'blank baseline']) {
      const entry = chart.locator('.u-legend .u-series', { hasText: series });
      expect(await entry.isVisible(), series).toBe(true);
    }
  }
}

test('a short run measured every 2 steps draws its quality curves against both baselines', async () => {
  const { context, page } = await openEditor(editor, undefined, TINY);
  try {
    await page.getByTestId('dock-toggle').click();
    await measureEvery(page, 2);
    await runUntilPaused(page, 6);
    await expectTranslationCharts(page, 3);
    await page.getByTestId('quality').screenshot({ path: join(ARTIFACTS, 'quality.png') });
  } finally {
    await context.close();
  }
});

test('a dropped folder whose testA/ and testB/ pair by file name is scored against them', async () => {
  const root = temporaryFolder('ui-paired');
  const folder = join(root, 'facades');
  mkdirSync(folder);
  const image = (seed: number) => pngBytes(20, 20, gradient(20, 20, seed));
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < 3; i++) {
    files.set(`trainA/a${i}.png`, image(i));
    files.set(`trainB/b${i}.png`, image(10 + i));
    files.set(`testA/${i}.png`, image(20 + i));
    files.set(`testB/${i}.png`, image(30 + i));
  }
  writeFiles(folder, files);
  const { context, page } = await openEditor(editor, undefined, TINY.replace('steps=6', 'steps=4'));
  try {
    await page.getByTestId('dock-toggle').click();
    await page.getByTestId('tab-data').click();
    await page.getByTestId('dataset-folder-input').setInputFiles(folder);
    const dataset = page.getByTestId('dataset-facades');
    await expect
      .poll(() => dataset.getByTestId('dataset-status').textContent())
      .toBe('trainA 3, trainB 3, testA 3, testB 3');
    expect(await dataset.getByTestId('dataset-test-pairs').textContent()).toBe(
      'testA/ and testB/ pair by file name (3 pairs): translations are scored against them',
    );
    // The run draws from the folder, which has no charts unless its test images pair.
    expect(await page.getByTestId('dataset-source-data').inputValue()).toBe('folder:facades');
    await measureEvery(page, 2);
    await runUntilPaused(page, 4);
    await expectTranslationCharts(page, 2);
  } finally {
    await context.close();
    rmSync(root, { recursive: true, force: true });
  }
});
