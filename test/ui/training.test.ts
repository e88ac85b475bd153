/**
 * Training in a real browser: Chromium driven by playwright-core against a production build,
 * the training in its Web Worker. Software GPUs are slow, so every link sets a tiny CycleGAN
 * (16×16, 4 filters, 1 residual block). Tests that check numbers run on the cpu backend, whose
 * kernels are deterministic; the WebGPU and WebGL tests check that training runs there.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { datasetFiles, gradient, pngBytes, temporaryFolder, writeFiles } from '../data/imageFiles';
import type { GraphDocument } from '../../src/graph/document';
import {
  ARTIFACTS,
  dropFileOnCanvas,
  type Editor,
  pausedAt,
  savedDocument,
  setTarget,
  startEditor,
  waitForGraph,
  WEBGL_ONLY_ARGS,
  WEBGPU_ARGS,
} from './harness';

/** Small enough for a software GPU: 16×16 images, 4 filters, 1 residual block, 2-layer PatchGAN. */
const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1';
const LONG_TASK_LIMIT_MS = 200;
// Software GPUs on 2 cores, next to other tests: far above a step's time, never reached when well.
const GPU_TEST_MS = 300_000;

interface LossRecord {
  step: number;
  losses: Record<string, number>;
}

declare global {
  interface Window {
    __longTasks: { start: number; duration: number }[];
    __ganvas: {
      phase(): string;
      step(): number;
      backend(): string | undefined;
      keptStep(): number | undefined;
      losses(): LossRecord[];
      translation(): { input: number[]; output: number[]; shape: number[] } | null;
    };
  }
}

let editor: Editor;
let webgpu: Browser;

beforeAll(async () => {
  editor = await startEditor();
  webgpu = await editor.launch(WEBGPU_ARGS);
});

afterAll(async () => {
  await editor?.close();
});

/** A fresh context on a link, with every main-thread long task recorded from the start. */
async function open(
  browser: Browser,
  path: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1680, height: 1050 },
    acceptDownloads: true,
  });
  await context.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  await page.goto(editor.url + path);
  await waitForGraph(page);
  return { context, page };
}

describe('training in the browser', () => {
  test(
    'trains on WebGPU from a link: 20 steps, loss curves and samples, and no long task on the page',
    async () => {
      const { context, page } = await open(webgpu, `${TINY}&steps=20`);
      try {
        expect(await page.getByTestId('quick-start-note').count()).toBe(0);
        const started = await page.evaluate(() => performance.now());
        const clock = Date.now();
        await page.getByTestId('run').click();
        await pausedAt(page, 20, 240_000);
        const seconds = (Date.now() - clock) / 1000;
        expect(await page.evaluate(() => window.__ganvas.backend())).toBe('webgpu');
        expect(await page.getByTestId('backend-badge').textContent()).toBe('WebGPU');
        const losses = await page.evaluate(() => window.__ganvas.losses());
        expect(losses.map((r) => r.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        for (const r of losses) {
          expect(Object.keys(r.losses).sort()).toEqual(
            ['D_A', 'D_B', 'G_A', 'G_B', 'cycle_A', 'cycle_B', 'idt_A', 'idt_B'].sort(),
          );
          for (const v of Object.values(r.losses)) expect(Number.isFinite(v)).toBe(true);
        }
        // One chart per optimizer, each drawn; the samples grid and the Preview thumbnails.
        for (const id of ['opt_G', 'opt_D']) {
          await page.getByTestId(`loss-chart-${id}`).locator('canvas').waitFor();
        }
        for (const id of [
          'show_real_A',
          'show_fake_B',
          'show_rec_A',
          'show_real_B',
          'show_fake_A',
          'show_rec_B',
        ]) {
          await page.getByTestId(`sample-${id}`).locator('canvas').waitFor();
          await page.getByTestId(`thumbnail-${id}`).waitFor();
        }
        expect(await page.getByTestId('samples-step').textContent()).toBe('step 20');
        const longTasks = await page.evaluate(
          (from) => window.__longTasks.filter((t) => t.start >= from).map((t) => t.duration),
          started,
        );
        const longest = Math.max(0, ...longTasks);
        console.log(
          `WebGPU (SwiftShader): 20 steps in ${seconds.toFixed(1)} s (${(20 / seconds).toFixed(2)} steps/s); ` +
            `${longTasks.length} long tasks during training, the longest ${longest.toFixed(0)} ms`,
        );
        expect(longest).toBeLessThanOrEqual(LONG_TASK_LIMIT_MS);
        await page.screenshot({ path: join(ARTIFACTS, 'training-webgpu.png') });

        // The worker crashes: the editor stays, and training goes on from the last checkpoint on
        // the next backend.
        await page.waitForFunction(() => window.__ganvas.keptStep() === 20);
        const edited = await savedDocument(page);
        const [worker] = page.workers();
        await worker!.evaluate(() => {
          setTimeout(() => {
            throw new Error('simulated crash');
          });
        });
        const failure = page.getByTestId('training-failure');
        await failure.waitFor();
        expect(await failure.textContent()).toContain(
          'The training worker stopped: Uncaught Error: simulated crash',
        );
        expect(await page.getByTestId('recover').textContent()).toBe(
          'Resume on WebGL from step 20',
        );
        expect(await savedDocument(page)).toBe(edited);
        await page.screenshot({ path: join(ARTIFACTS, 'training-crash.png') });
        await setTarget(page, 22);
        await page.getByTestId('recover').click();
        await pausedAt(page, 22, 120_000);
        expect(await page.evaluate(() => window.__ganvas.backend())).toBe('webgl');
        const after = await page.evaluate(() => window.__ganvas.losses());
        expect(after.slice(0, 20)).toEqual(losses);
        expect(after.map((r) => r.step)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
      } finally {
        await context.close();
      }
    },
    GPU_TEST_MS,
  );

  test('pausing, reloading and resuming from the kept checkpoint gives the losses of an uninterrupted run', async () => {
    // The cpu backend: its kernels give the same numbers every time, so equality is exact.
    const link = `${TINY}&backend=cpu`;
    const straight = await open(editor.browser, `${link}&steps=8`);
    let expected: LossRecord[];
    try {
      await straight.page.getByTestId('run').click();
      await pausedAt(straight.page, 8);
      expected = await straight.page.evaluate(() => window.__ganvas.losses());
      expect(expected).toHaveLength(8);
    } finally {
      await straight.context.close();
    }

    const { context, page } = await open(editor.browser, link);
    try {
      await page.getByTestId('run').click();
      await page.waitForFunction(() => window.__ganvas.step() >= 3, null, { polling: 50 });
      await page.getByTestId('pause').click();
      await page.waitForFunction(() => window.__ganvas.phase() === 'paused');
      const paused = await page.evaluate(() => window.__ganvas.step());
      expect(paused).toBeGreaterThanOrEqual(3);
      expect(paused).toBeLessThan(8);
      await page.waitForFunction((n) => window.__ganvas.keptStep() === n, paused);

      await page.reload();
      await waitForGraph(page);
      expect(await page.evaluate(() => window.__ganvas.step())).toBe(0);
      await page.getByTestId('tab-checkpoints').click();
      await page.getByTestId('resume-saved').click();
      await pausedAt(page, paused);
      await setTarget(page, 8);
      await page.getByTestId('run').click();
      await pausedAt(page, 8);
      expect(await page.evaluate(() => window.__ganvas.backend())).toBe('cpu');
      const resumed = await page.evaluate(() => window.__ganvas.losses());
      expect(resumed).toEqual(expected);
    } finally {
      await context.close();
    }
  });

  test('a dropped folder of PNG and JPEG files trains, and its corrupt file is reported', async () => {
    const root = temporaryFolder('ui-dataset');
    const folder = join(root, 'horse2zebra');
    mkdirSync(folder);
    writeFiles(folder, datasetFiles());
    const { context, page } = await open(editor.browser, `${TINY}&backend=cpu&steps=3`);
    try {
      await page.getByTestId('dock-toggle').click();
      await page.getByTestId('tab-data').click();
      await page.getByTestId('dataset-folder-input').setInputFiles(folder);
      const dataset = page.getByTestId('dataset-horse2zebra');
      await expect
        .poll(() => dataset.getByTestId('dataset-status').textContent())
        .toBe('trainA 3, trainB 2, testA 1, testB 0; 1 file skipped');
      expect(await dataset.getByTestId('dataset-skipped').textContent()).toContain(
        'horse2zebra/trainA/broken.png skipped: corrupt: not a PNG or JPEG image',
      );
      expect(await page.getByTestId('dataset-source-data').inputValue()).toBe('folder:horse2zebra');
      const doc = JSON.parse(await savedDocument(page)) as {
        nodes: { id: string; params?: Record<string, unknown> }[];
      };
      expect(doc.nodes.find((n) => n.id === 'data')?.params?.source).toBe('folder:horse2zebra');
      await page.screenshot({ path: join(ARTIFACTS, 'training-dataset.png') });

      await page.getByTestId('run').click();
      await pausedAt(page, 3);
      await page.getByTestId('tab-progress').click();
      await page.getByTestId('sample-show_real_A').locator('canvas').waitFor();
      // The samples are the folder's gradients, not the built-in landscapes: red rises to the right.
      const [left, right] = await page
        .getByTestId('sample-show_real_A')
        .locator('canvas')
        .evaluate((canvas: HTMLCanvasElement) => {
          const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
          const red = (x: number) => data.data[(8 * canvas.width + x) * 4]!;
          return [red(0), red(canvas.width - 1)];
        });
      expect(right!).toBeGreaterThan(left! + 100);

      // A zip dropped on the canvas is a dataset too, laid out the same way.
      const zip = zipSync(Object.fromEntries(datasetFiles()));
      await dropFileOnCanvas(page, { name: 'zebras.zip', type: 'application/zip', bytes: zip });
      await page.getByTestId('tab-data').click();
      await expect
        .poll(() => page.getByTestId('dataset-zebras').getByTestId('dataset-status').textContent())
        .toBe('trainA 3, trainB 2, testA 1, testB 0; 1 file skipped');
    } finally {
      await context.close();
    }
  });

  test('an exported generator, loaded by plain TensorFlow.js, gives the output Ganvas shows', async () => {
    const { context, page } = await open(editor.browser, `${TINY}&backend=cpu&steps=2`);
    let server: Server | undefined;
    try {
      await page.getByTestId('run').click();
      await pausedAt(page, 2);
      await page.getByTestId('tab-result').click();
      await page.getByTestId('translate-input').setInputFiles({
        name: 'photo.png',
        mimeType: 'image/png',
        buffer: Buffer.from(pngBytes(40, 30, gradient(40, 30, 7))),
      });
      await page.getByTestId('translation-output').waitFor();
      const shown = (await page.evaluate(() => window.__ganvas.translation()))!;
      expect(shown.shape).toEqual([1, 16, 16, 3]);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('export-network').click(),
      ]);
      expect(download.suggestedFilename()).toBe('G_A.tfjs.zip');
      const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
      expect(Object.keys(files).sort()).toEqual(['model.json', 'weights.bin']);
      server = createServer((request, response) => {
        const file = files[(request.url ?? '').replace(/^\//, '')];
        if (!file) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200).end(Buffer.from(file));
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await tf.setBackend('cpu');
      const model = await tf.loadGraphModel(`http://127.0.0.1:${port}/model.json`);
      const input = tf.tensor(shown.input, shown.shape);
      const output = model.predict(input) as tf.Tensor;
      const values = await output.data();
      const difference = Math.max(...shown.output.map((v, i) => Math.abs(v - values[i]!)));
      tf.dispose([input, output]);
      model.dispose();
      console.log(`exported G_A against Ganvas: largest difference ${difference.toExponential(2)}`);
      // Tolerance 1e-4: the same cpu kernels on both sides, up to float32 rounding.
      expect(difference).toBeLessThan(1e-4);
    } finally {
      server?.close();
      await context.close();
    }
  });

  test('the PyTorch project zip is made in a worker, showing its progress, with the built-in data at the size trained', async () => {
    const { context, page } = await open(editor.browser, `${TINY}&backend=cpu&steps=1`);
    try {
      await page.getByTestId('run').click();
      await pausedAt(page, 1);
      await page.getByTestId('tab-result').click();
      const workers: string[] = [];
      page.on('worker', (worker) => workers.push(worker.url()));
      // Every text the progress line shows.
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { progressSeen: string[] }).progressSeen = seen;
        new MutationObserver(() => {
          const line = document.querySelector('[data-testid="export-pytorch-progress"]');
          if (line?.textContent && seen.at(-1) !== line.textContent) seen.push(line.textContent);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: 120_000 }),
        page.getByTestId('export-pytorch').click(),
      ]);
      expect(download.suggestedFilename()).toBe('CycleGAN-pytorch.zip');
      const seen = await page.evaluate(
        () => (window as unknown as { progressSeen: string[] }).progressSeen,
      );
      expect(seen.some((t) => /^Writing the built-in data: [\d,]+ of 2,000 images$/.test(t))).toBe(
        true,
      );
      expect(await page.getByTestId('export-pytorch-progress').count()).toBe(0);
      // Made off the page's thread: at 256×256 its images take half a minute to render.
      expect(workers.filter((url) => /projectWorker/.test(url))).toHaveLength(1);
      const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
      const names = Object.keys(files);
      for (const file of ['model.py', 'train.py', 'data.py', 'losses.py', 'graph.json']) {
        expect(names).toContain(`CycleGAN-pytorch/${file}`);
      }
      for (const domain of ['A', 'B']) {
        const images = names.filter((n) =>
          n.startsWith(`CycleGAN-pytorch/data/daynight/train${domain}/`),
        );
        expect(images).toHaveLength(1000);
        // A PNG's width and height are the first fields of its IHDR chunk, at bytes 16 and 20.
        const png = Buffer.from(files[images[0]!]!);
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([16, 16]);
      }
    } finally {
      await context.close();
    }
  });

  test('a checkpoint of another graph or a damaged one is refused with the reason; a saved sample PNG reopens its graph', async () => {
    const { context, page } = await open(editor.browser, `${TINY}&backend=cpu&steps=2`);
    try {
      await page.getByTestId('run').click();
      await pausedAt(page, 2);
      const trained = await savedDocument(page);
      const [samples] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('save-samples').click(),
      ]);
      const png = readFileSync((await samples.path())!);
      await page.getByTestId('tab-checkpoints').click();
      const [checkpoint] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('download-checkpoint').click(),
      ]);
      expect(checkpoint.suggestedFilename()).toBe('CycleGAN-step2.ganvas-checkpoint.safetensors');
      const bytes = readFileSync((await checkpoint.path())!);

      const ngf = page.getByTestId('variable-input-ngf');
      await ngf.fill('8');
      await ngf.press('Enter');
      const input = page.getByTestId('open-checkpoint-input');
      await input.setInputFiles({
        name: 'run.safetensors',
        mimeType: 'application/octet-stream',
        buffer: bytes,
      });
      await expect
        .poll(() => page.getByTestId('training-notice').textContent())
        .toMatch(
          /run\.safetensors was refused: this checkpoint is of another graph: weight "G_A\.[^"]+" is .+ there and .+ here/,
        );
      await input.setInputFiles({
        name: 'damaged.safetensors',
        mimeType: 'application/octet-stream',
        buffer: bytes.subarray(0, 100),
      });
      await expect
        .poll(() => page.getByTestId('training-notice').textContent())
        .toContain('damaged.safetensors was refused: damaged or not a checkpoint');

      // The sample PNG carries the graph it was trained with: dropped on the canvas, it reopens.
      await dropFileOnCanvas(page, { name: 'samples.png', type: 'image/png', bytes: png });
      await expect.poll(() => page.getByTestId('variable-input-ngf').inputValue()).toBe('4');
      // The same graph, as a document of its own: the one it came from is open in this browser.
      const { id: reopenedId, ...reopened } = JSON.parse(
        await savedDocument(page),
      ) as GraphDocument;
      const { id: trainedId, ...original } = JSON.parse(trained) as GraphDocument;
      expect(reopened).toEqual(original);
      expect(reopenedId).not.toBe(trainedId);
      await input.setInputFiles({
        name: 'run.safetensors',
        mimeType: 'application/octet-stream',
        buffer: bytes,
      });
      await expect
        .poll(() => page.getByTestId('training-notice').textContent())
        .toContain('Resumed from step 2 (run.safetensors)');
    } finally {
      await context.close();
    }
  });

  test(
    'without WebGPU the badge says WebGL and why, and training runs',
    async () => {
      const browser = await editor.launch(WEBGL_ONLY_ARGS);
      const { context, page } = await open(browser, `${TINY}&steps=2`);
      try {
        await page.getByTestId('run').click();
        await pausedAt(page, 2, 180_000);
        expect(await page.getByTestId('backend-badge').textContent()).toBe('WebGL');
        expect(await page.getByTestId('backend-reason').textContent()).toContain(
          'WebGL, not a faster backend: WebGPU is not available',
        );
        await page.screenshot({ path: join(ARTIFACTS, 'training-webgl.png') });
      } finally {
        await context.close();
      }
    },
    GPU_TEST_MS,
  );

  test('a link sets the template and graph variables, and reports what it cannot set; the plain link opens at the quick start', async () => {
    const { context, page } = await open(
      editor.browser,
      '?template=cyclegan&size=32&ngf=8&bogus=1&ndf=wide&backend=tpu',
    );
    try {
      await page.getByTestId('report').waitFor();
      const problems = await page.getByTestId('report-problem').allTextContents();
      expect(problems).toEqual([
        expect.stringMatching(/^\?bogus: "CycleGAN" has no variable "bogus"/),
        '?ndf: expected a number, received "wide"',
        '?backend: expected one of auto, webgpu, webgl, cpu, received "tpu"',
      ]);
      await page.getByTestId('report-close').click();
      expect(await page.getByTestId('edge-label-data.real_A->fake_B.in').textContent()).toBe(
        '1×32×32×3',
      );
      expect(await page.getByTestId('variable-input-ngf').inputValue()).toBe('8');
      expect(await page.getByTestId('quick-start-note').count()).toBe(0);
      expect(page.url()).not.toContain('?');

      const fresh = await open(editor.browser, '');
      try {
        const note = await fresh.page.getByTestId('quick-start-note').textContent();
        expect(note).toContain('Quick start: size 64');
        expect(note).toContain('(size 256');
        expect(await fresh.page.getByTestId('variable-reference-size').textContent()).toContain(
          'the reference trains at 256',
        );
        expect(await fresh.page.getByTestId('variable-override-size').count()).toBe(0);
        await fresh.page.screenshot({ path: join(ARTIFACTS, 'training-quick-start.png') });
      } finally {
        await fresh.context.close();
      }
    } finally {
      await context.close();
    }
  });
});
