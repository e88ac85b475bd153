/**
 * The built site under its Content-Security-Policy: the page and the training worker load and
 * build their schemas without anything the policy refuses; the page refuses what the policy
 * forbids, and the worker's script comes with the policy (from the preview server's header).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleMessage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../vite.config';
import { openEditor, startEditor, type Editor } from './harness';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

declare global {
  interface Window {
    __inline?: boolean;
  }
}

describe('the Content-Security-Policy', () => {
  test('the editor and its training worker load with nothing refused', async () => {
    const context = await editor.browser.newContext();
    const refused: string[] = [];
    const watch = (m: ConsoleMessage) => {
      if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
    };
    try {
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) =>
          console.error(
            `Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`,
          ),
        );
      });
      context.on('console', watch);
      const { page } = await openEditor(editor, context);

      const script = readdirSync(join(editor.outDir, 'worker')).find((f) =>
        f.startsWith('trainingWorker-'),
      );
      expect(script).toBeDefined();
      const started = page.waitForEvent('worker');
      await page.evaluate((url) => {
        new Worker(url, { type: 'module' });
      }, `/worker/${script}`);
      const worker = await started;
      worker.on('console', watch);
      // The worker's module has loaded (its schemas built) once it answers.
      await expect.poll(() => worker.evaluate(() => typeof self.postMessage)).toBe('function');
      expect(refused).toEqual([]);

      const served = await context.request.get(new URL(`/worker/${script}`, editor.url).href);
      expect(served.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      // An inline script, which the policy refuses: the check above would have seen a refusal.
      const inline = await page.evaluate(() => {
        const element = document.createElement('script');
        element.textContent = 'window.__inline = true';
        document.head.append(element);
        return window.__inline === true ? 'ran' : 'refused';
      });
      expect(inline).toBe('refused');
      await expect.poll(() => refused.length).toBeGreaterThan(0);
    } finally {
      await context.close();
    }
  });
});
