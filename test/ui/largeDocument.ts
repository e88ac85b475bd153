/**
 * Opening a document of thousands of layers and editing it, with every long task of the page's
 * main thread recorded (the Long Tasks API: tasks over 50 ms). Shared by the browser test of
 * large documents and bench/pageLongTasks.ts --large.
 */
import type { Page } from 'playwright-core';
import { formatBytes } from '../../src/graph/budget';
import { checkDocument } from '../../src/graph/check';
import { serializeDocument } from '../../src/graph/document';
import { formatCount } from '../../src/ui/derived';
import { largeBodyDocument } from '../graph/largeBody';

export interface LongTask {
  start: number;
  duration: number;
}

type Recorded = { __longTasks: LongTask[] };

/** Records long tasks from now on, in the page. */
export async function recordLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const recorded = window as unknown as Recorded;
    recorded.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        recorded.__longTasks.push({ start: e.startTime, duration: e.duration });
      }
    }).observe({ type: 'longtask' });
  });
}

export function recordedLongTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => (window as unknown as Recorded).__longTasks);
}

/** Waits until the element shows `text` (as a part of what it shows). */
async function shows(page: Page, testId: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([id, part]) =>
      document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes(part) === true,
    [testId, text] as const,
    { timeout: 120_000, polling: 100 },
  );
}

/**
 * Opens the DCGAN template with `layers` more layers in its generator (as a file, the way a
 * user opens one) and waits until its check shows (the generator's weights); then halves the
 * batch and waits until the check of the edit shows (the step's memory). Returns what showed, and
 * when (page time) the edit began.
 */
export async function openLargeAndEdit(
  page: Page,
  layers: number,
): Promise<{ weights: string; memory: string; editedAt: number }> {
  const doc = largeBodyDocument(layers);
  const weights = formatCount(checkDocument(doc).inference?.networks.get('G')?.parameterCount);
  const halved = structuredClone(doc);
  halved.variables.batch_size!.value = 64;
  const memory = formatBytes(checkDocument(halved).estimate!.total);
  // The file is made in the page from text: Playwright's setInputFiles would decode its bytes in
  // the page's thread, a long task of its own that is not the editor's.
  await page.evaluate(
    ([name, text]) => {
      const input = document.querySelector<HTMLInputElement>('[data-testid="open-file-input"]')!;
      const files = new DataTransfer();
      files.items.add(new File([text], name, { type: 'application/json' }));
      input.files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    [`deep-${layers}.json`, serializeDocument(doc)] as const,
  );
  await shows(page, 'network-params-G', weights);
  const editedAt = await page.evaluate(() => performance.now());
  const input = page.getByTestId('variable-input-batch_size');
  await input.fill('64');
  await input.press('Enter');
  await shows(page, 'step-memory', memory);
  return { weights, memory, editedAt };
}
