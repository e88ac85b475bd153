/**
 * Documents that are never overwritten: every graph opened is kept under its own id, a tab
 * reopens its own on reload, two tabs on one document follow each other, and what is typed is
 * kept when the page goes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GraphDocument } from '../../src/graph/document';
import { openEditor, savedDocument, startEditor, waitForGraph, type Editor } from './harness';
import type { Page } from 'playwright-core';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

async function setVariable(page: Page, name: string, value: string) {
  const input = page.getByTestId(`variable-input-${name}`);
  await input.fill(value);
  await input.press('Enter');
}

const variable = (page: Page, name: string) =>
  page.getByTestId(`variable-input-${name}`).inputValue();

async function saved(page: Page): Promise<GraphDocument> {
  return JSON.parse(await savedDocument(page)) as GraphDocument;
}

describe('documents', () => {
  test("a link opened in a second tab leaves the first tab's edited graph intact and in Recent", async () => {
    const { context, page } = await openEditor(editor);
    try {
      await setVariable(page, 'lambda_A', '7');
      const first = await saved(page);
      expect(first.variables.lambda_A!.value).toBe(7);

      const second = await context.newPage();
      await second.goto(`${editor.url}?template=dcgan`);
      await waitForGraph(second);
      await expect.poll(() => second.locator('.toolbar .doc-name').textContent()).toBe('DCGAN');
      expect((await saved(second)).id).not.toBe(first.id);

      await page.reload();
      await waitForGraph(page);
      expect(await variable(page, 'lambda_A')).toBe('7');
      expect(await saved(page)).toEqual(first);

      await second.getByTestId('recent').click();
      const entry = second.getByTestId(`recent-${first.id}`);
      expect(await entry.textContent()).toContain('CycleGAN');
      await entry.click();
      await waitForGraph(second);
      expect(await variable(second, 'lambda_A')).toBe('7');
      // The document opened before is kept too, and opening is undoable as before.
      await second.getByTestId('recent').click();
      expect(await second.locator('.recent-document').count()).toBe(2);
      await second.getByTestId('recent-documents-close').click();
      await second.getByTestId('undo').click();
      await expect.poll(() => second.locator('.toolbar .doc-name').textContent()).toBe('DCGAN');
    } finally {
      await context.close();
    }
  });

  test('two tabs editing one document keep both edits', async () => {
    const { context, page: a } = await openEditor(editor);
    try {
      const b = await context.newPage();
      await b.goto(editor.url);
      await waitForGraph(b);
      expect((await saved(b)).id).toBe((await saved(a)).id);

      await setVariable(a, 'lambda_A', '7');
      await expect.poll(() => variable(b, 'lambda_A')).toBe('7');
      await setVariable(b, 'lambda_B', '5');
      await expect.poll(() => variable(a, 'lambda_B')).toBe('5');

      for (const page of [a, b]) {
        await page.reload();
        await waitForGraph(page);
        expect(await variable(page, 'lambda_A')).toBe('7');
        expect(await variable(page, 'lambda_B')).toBe('5');
      }
      expect(await a.getByTestId('conflict').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  test('a value typed but not committed survives a reload', async () => {
    const { context, page } = await openEditor(editor);
    try {
      await page.getByTestId('variable-input-lambda_A').fill('3');
      await page.reload();
      await waitForGraph(page);
      expect(await variable(page, 'lambda_A')).toBe('3');
      expect((await saved(page)).variables.lambda_A!.value).toBe(3);
    } finally {
      await context.close();
    }
  });
});
