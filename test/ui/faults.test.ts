/**
 * Faults a training run survives without losing the user's work: the page closed or reloaded
 * mid-run, the WebGPU device lost, the browser's storage full. Each ends with the graph intact,
 * training resumable from the latest step, and a message that says what happened. A tiny
 * CycleGAN, as in the other browser tests: the machine is slow and shared.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GanvasTestHook } from '../../src/ui/training/testHook';
import { datasetFiles, temporaryFolder, writeFiles } from '../data/imageFiles';
import {
  type Editor,
  openEditor,
  pausedAt,
  savedDocument,
  setTarget,
  startEditor,
  waitForGraph,
  WEBGPU_ARGS,
} from './harness';

const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1';

type Hooked = { __ganvas: GanvasTestHook };
const hook = <T>(page: Page, read: (h: GanvasTestHook) => T) =>
  page.evaluate(`(${read.toString()})(window.__ganvas)`) as Promise<T>;

// Software GPUs on 2 shared cores: far above a step's time, never reached when well.
const GPU_TEST_MS = 300_000;

let editor: Editor;
let webgpu: Browser;

beforeAll(async () => {
  editor = await startEditor();
  webgpu = await editor.launch(WEBGPU_ARGS);
});

afterAll(async () => {
  await editor?.close();
});

/** Sets how often the run keeps a checkpoint, in the dock's settings. */
async function setCheckpointEvery(page: Page, every: number): Promise<void> {
  if ((await page.getByTestId('tab-settings').count()) === 0) {
    await page.getByTestId('dock-toggle').click();
  }
  await page.getByTestId('tab-settings').click();
  const input = page.getByTestId('setting-checkpointEvery');
  await input.fill(String(every));
  await input.press('Enter');
}

/**
 * Destroys the training worker's WebGPU device, as a driver reset would, and waits until the
 * panel says the device was lost.
 */
async function loseDevice(page: Page, timeout: number): Promise<void> {
  const [worker] = page.workers();
  await worker!.evaluate(() => {
    const engine = (globalThis as { _tfengine?: { backend: { device: GPUDevice } } })._tfengine;
    engine!.backend.device.destroy();
  });
  const failure = page.getByTestId('training-failure');
  await failure.waitFor({ timeout });
  expect(await failure.textContent()).toContain(
    'The GPU device was lost: WebGPU device lost (destroyed)',
  );
}

/** The step of the checkpoint kept for a document, read by its worker from IndexedDB. */
function keptStepInWorker(page: Page, documentId: string): Promise<number | undefined> {
  const [worker] = page.workers();
  if (!worker) throw new Error('no training worker');
  return worker.evaluate(
    (id) =>
      new Promise<number | undefined>((resolve, reject) => {
        const open = indexedDB.open('ganvas-checkpoints');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result
            .transaction('checkpoints')
            .objectStore('checkpoints')
            .get(`info:${id}`);
          get.onsuccess = () => {
            open.result.close();
            resolve((get.result as { step: number } | undefined)?.step);
          };
          get.onerror = () => reject(get.error);
        };
      }),
    documentId,
  );
}

/**
 * Leaving a page that trains asks to confirm; meanwhile its worker keeps the step reached. The
 * answer waits until it has (a person takes that long to read the question), then leaves.
 */
function leaveOnceKept(page: Page, documentId: string, reached: number): Promise<string> {
  return new Promise((resolve, reject) => {
    page.once('dialog', (dialog) => {
      void (async () => {
        const type = dialog.type();
        await expect
          .poll(() => keptStepInWorker(page, documentId), { timeout: 60_000 })
          .toBeGreaterThanOrEqual(reached);
        await dialog.accept();
        resolve(type);
      })().catch(reject);
    });
  });
}

describe('faults survived', () => {
  test('a page reloaded mid-run asks first, keeps the step it reached, and offers to resume there, not at the last periodic checkpoint', async () => {
    const { context, page } = await openEditor(editor, undefined, `${TINY}&backend=cpu`);
    try {
      await setCheckpointEvery(page, 1000);
      const graph = await savedDocument(page);
      const documentId = (JSON.parse(graph) as { id: string }).id;
      await page.getByTestId('run').click();
      await page.waitForFunction(() => (window as unknown as Hooked).__ganvas.step() >= 4, null, {
        timeout: 120_000,
        polling: 50,
      });
      const reached = await hook(page, (h) => h.step());
      const left = leaveOnceKept(page, documentId, reached);
      await page.reload();
      expect(await left).toBe('beforeunload');
      await waitForGraph(page);
      expect(await savedDocument(page)).toBe(graph);
      const resume = page.getByTestId('resume-kept');
      await resume.waitFor();
      const text = (await resume.textContent()) ?? '';
      const kept = Number(/^Resume from step (\d+) \(saved just now\)$/.exec(text)?.[1]);
      console.log(`reloaded at step ${reached} (as the page last heard), kept step ${kept}`);
      // The step under way when the page asked (which heard of steps up to 100 ms late), or the
      // one after it; never the last periodic checkpoint (none, at every 1000).
      expect(kept).toBeGreaterThanOrEqual(reached);
      expect(kept).toBeLessThanOrEqual(reached + 3);

      await resume.click();
      await expect.poll(() => page.getByTestId('training-step').textContent()).toBe(String(kept));
      expect(await hook(page, (h) => h.phase())).toBe('paused');
      expect((await hook(page, (h) => h.losses())).map((r) => r.step)).toEqual(
        Array.from({ length: kept }, (_, i) => i + 1),
      );
    } finally {
      await context.close();
    }
  });

  test('a browser out of storage says the checkpoint and the dataset were not kept, and training goes on', async () => {
    const { context, page } = await openEditor(editor, undefined, `${TINY}&backend=cpu&steps=2`);
    try {
      await setCheckpointEvery(page, 2);
      await page.getByTestId('run').click();
      await pausedAt(page, 2);
      await page.waitForFunction(() => (window as unknown as Hooked).__ganvas.keptStep() === 2);
      const graph = await savedDocument(page);
      const [worker] = page.workers();
      // The worker's IndexedDB refuses every write from now on, as a full disk makes it.
      await worker!.evaluate(() => {
        IDBObjectStore.prototype.put = () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        };
      });

      await setTarget(page, 6);
      await page.getByTestId('run').click();
      await pausedAt(page, 6);
      const notice = page.getByTestId('training-notice');
      // Its write fails after the pause is shown.
      await expect
        .poll(() => notice.textContent())
        .toContain(
          "The checkpoint of step 6 could not be kept in this browser (the browser's storage is full: QuotaExceededError: The quota has been exceeded.). Training goes on; Download checkpoint keeps the run as a file.",
        );
      expect(await notice.getAttribute('class')).toContain('note-error');
      expect(await hook(page, (h) => h.keptStep())).toBe(2);
      expect(await savedDocument(page)).toBe(graph);
      expect((await hook(page, (h) => h.losses())).map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
      // The run is intact: it trains on, and downloads as a file.
      await setTarget(page, 7);
      await page.getByTestId('run').click();
      await pausedAt(page, 7);
      await page.getByTestId('tab-checkpoints').click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('download-checkpoint').click(),
      ]);
      expect(download.suggestedFilename()).toBe('CycleGAN-step7.ganvas-checkpoint.safetensors');

      // A dataset brought in now trains, and the page says it will not be there after a reload.
      const root = temporaryFolder('ui-faults');
      const folder = join(root, 'horse2zebra');
      mkdirSync(folder);
      writeFiles(folder, datasetFiles());
      await page.getByTestId('tab-data').click();
      await page.getByTestId('dataset-folder-input').setInputFiles(folder);
      const dataset = page.getByTestId('dataset-horse2zebra');
      await expect
        .poll(() => dataset.getByTestId('dataset-status').textContent())
        .toBe('trainA 3, trainB 2, testA 1, testB 0; 1 file skipped');
      await expect
        .poll(() => notice.textContent())
        .toContain(
          "Day / night scenes now trains on horse2zebra: trainA 3, trainB 2, testA 1, testB 0; 1 file skipped; its files could not be kept for after a reload (the browser's storage is full: QuotaExceededError: The quota has been exceeded.)",
        );
      await setTarget(page, 8);
      await page.getByTestId('run').click();
      await pausedAt(page, 8);
    } finally {
      await context.close();
    }
  });

  test(
    'a lost WebGPU device says so, leaves the graph as it was, and training resumes from the last checkpoint on WebGL',
    async () => {
      const context = await webgpu.newContext({ viewport: { width: 1680, height: 1050 } });
      const { page } = await openEditor(editor, context, TINY);
      try {
        await setCheckpointEvery(page, 2);
        await page.getByTestId('run').click();
        await page.waitForFunction(
          () => ((window as unknown as Hooked).__ganvas.keptStep() ?? 0) >= 2,
          null,
          { timeout: 240_000, polling: 200 },
        );
        expect(await hook(page, (h) => h.backend())).toBe('webgpu');
        const graph = await savedDocument(page);
        await loseDevice(page, 120_000);
        const kept = (await hook(page, (h) => h.keptStep()))!;
        expect(kept).toBeGreaterThanOrEqual(2);
        expect(await page.getByTestId('recover').textContent()).toBe(
          `Resume on WebGL from step ${kept}`,
        );
        expect(await savedDocument(page)).toBe(graph);

        await setTarget(page, kept + 1);
        await page.getByTestId('recover').click();
        await pausedAt(page, kept + 1, 240_000);
        expect(await hook(page, (h) => h.backend())).toBe('webgl');
        expect((await hook(page, (h) => h.losses())).map((r) => r.step)).toEqual(
          Array.from({ length: kept + 1 }, (_, i) => i + 1),
        );
        expect(await savedDocument(page)).toBe(graph);
      } finally {
        await context.close();
      }
    },
    GPU_TEST_MS,
  );

  test(
    'a WebGPU device lost while training is paused says so at once, leaves the graph as it was, and training resumes from the checkpoint of the pause',
    async () => {
      const context = await webgpu.newContext({ viewport: { width: 1680, height: 1050 } });
      const { page } = await openEditor(editor, context, `${TINY}&steps=2`);
      try {
        await page.getByTestId('run').click();
        await pausedAt(page, 2, 240_000);
        await page.waitForFunction(() => (window as unknown as Hooked).__ganvas.keptStep() === 2);
        expect(await hook(page, (h) => h.backend())).toBe('webgpu');
        const graph = await savedDocument(page);
        // No step is under way to fail: only the device's own verdict can tell.
        await loseDevice(page, 60_000);
        expect(await page.getByTestId('recover').textContent()).toBe('Resume on WebGL from step 2');
        expect(await savedDocument(page)).toBe(graph);

        await setTarget(page, 3);
        await page.getByTestId('recover').click();
        await pausedAt(page, 3, 240_000);
        expect(await hook(page, (h) => h.backend())).toBe('webgl');
        expect((await hook(page, (h) => h.losses())).map((r) => r.step)).toEqual([1, 2, 3]);
        expect(await savedDocument(page)).toBe(graph);
      } finally {
        await context.close();
      }
    },
    GPU_TEST_MS,
  );
});
