/**
 * The shapes shown are the shapes trained: the README's plain link opens the CycleGAN template at
 * its quick start, written into the graph, so that the edges and the crop the run feeds its
 * networks (the Data tab) say the same size; the Variables panel puts the reference's values back.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { edgeLabel, openEditor, savedDocument, startEditor, type Editor } from './harness';
import type { GraphDocument } from '../../src/graph/document';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

/** The crop the run feeds the networks, as the Data tab resolves it with the run's overrides. */
async function trainedCrop(page: Page): Promise<string | null> {
  return page.getByTestId('dataset-node-data').locator('td').nth(3).textContent();
}

async function openDataTab(page: Page): Promise<void> {
  await page.getByTestId('dock-toggle').click();
  await page.getByTestId('tab-data').click();
  await page.getByTestId('dataset-node-data').waitFor();
}

async function variables(page: Page): Promise<GraphDocument['variables']> {
  return (JSON.parse(await savedDocument(page)) as GraphDocument).variables;
}

describe('the quick start', () => {
  test("the plain link's edges show the size the first run trains at; the reference's values make them 256", async () => {
    const { context, page } = await openEditor(editor);
    try {
      expect(await edgeLabel(page, 'data.real_A->fake_B.in')).toBe('1×64×64×3');
      await openDataTab(page);
      expect(await trainedCrop(page)).toBe('64');
      // Nothing trains over the graph: what it shows is what runs.
      expect(await page.locator('[data-testid^="variable-override-"]').count()).toBe(0);
      expect(await page.getByTestId('quick-start-note').textContent()).toContain(
        'Quick start: size 64, ngf 32, ndf 32, n_blocks 6',
      );

      await page.getByTestId('use-reference-values').click();
      await expect.poll(() => edgeLabel(page, 'data.real_A->fake_B.in')).toBe('1×256×256×3');
      await expect.poll(() => trainedCrop(page)).toBe('256');
      expect(await page.getByTestId('quick-start-note').count()).toBe(0);
      await expect
        .poll(async () => {
          const { size, ngf, ndf, n_blocks } = await variables(page);
          return [size, ngf, ndf, n_blocks].map((v) => v?.value);
        })
        .toEqual([256, 64, 64, 9]);
    } finally {
      await context.close();
    }
  });

  test('the template opened from the gallery is at its quick start, and one undo goes back to the graph before', async () => {
    const { context, page } = await openEditor(editor, undefined, '/?template=dcgan');
    try {
      const before = await savedDocument(page);
      await page.getByTestId('templates').click();
      await page.getByTestId('template-cyclegan.json').click();
      await expect.poll(() => edgeLabel(page, 'data.real_A->fake_B.in')).toBe('1×64×64×3');
      await expect.poll(async () => (await variables(page)).size?.value).toBe(64);
      await page.getByTestId('undo').click();
      await expect.poll(() => savedDocument(page)).toBe(before);
    } finally {
      await context.close();
    }
  });

  test("a link's variables win: the template opens at the link's size and the reference's other values", async () => {
    const { context, page } = await openEditor(editor, undefined, '/?template=cyclegan&size=32');
    try {
      expect(await edgeLabel(page, 'data.real_A->fake_B.in')).toBe('1×32×32×3');
      const values = await variables(page);
      expect([values.ngf, values.ndf, values.n_blocks].map((v) => v?.value)).toEqual([64, 64, 9]);
      expect(await page.getByTestId('quick-start-note').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
