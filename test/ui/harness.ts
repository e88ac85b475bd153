/**
 * Runs the editor for browser tests: a production build served by `vite preview` on a free
 * port, and Debian's Chromium driven by playwright-core, one fresh context (empty storage) per
 * test.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

export const ROOT = resolve(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export interface Editor {
  url: string;
  outDir: string;
  browser: Browser;
  /** Another browser on the same build, with other flags (WebGPU on or off). */
  launch(args: readonly string[]): Promise<Browser>;
  close(): Promise<void>;
}

/** Flags every browser gets: headless, and nothing that reaches the network. */
export const COMMON_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The editor's tests need no GPU at all. */
export const NO_GPU_ARGS = ['--disable-gpu'];
/** WebGPU on SwiftShader, Chromium's software GPU (see GUIDE.md). */
export const WEBGPU_ARGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader'];
/** No WebGPU adapter (the flag that enables it is left out); WebGL on SwiftShader. */
export const WEBGL_ONLY_ARGS = ['--enable-unsafe-swiftshader'];

/** `npm run build` into a new temporary folder, which it returns. */
export async function buildSite(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'ganvas-ui-'));
  // Vitest runs with NODE_ENV=test, which would make Vite bundle React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: ROOT,
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  return outDir;
}

export async function startEditor(browserArgs: readonly string[] = NO_GPU_ARGS): Promise<Editor> {
  const outDir = await buildSite();
  const server: PreviewServer = await preview({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  const browsers: Browser[] = [];
  const launch = async (args: readonly string[]) => {
    const launched = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...COMMON_ARGS, ...args],
    });
    browsers.push(launched);
    return launched;
  };
  const browser = await launch(browserArgs);
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    url,
    outDir,
    browser,
    launch,
    async close() {
      for (const b of browsers) await b.close();
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** A fresh context (nothing saved) with a page on the editor, its graph drawn. */
export async function openEditor(
  editor: Editor,
  context?: BrowserContext,
  path = '',
): Promise<{ context: BrowserContext; page: Page }> {
  const ctx =
    context ??
    (await editor.browser.newContext({
      viewport: { width: 1680, height: 1050 },
      acceptDownloads: true,
    }));
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(editor.url + path);
  await waitForGraph(page);
  return { context: ctx, page };
}

/** Waits until the canvas shows nodes and every edge has its label. */
export async function waitForGraph(page: Page): Promise<void> {
  await page.waitForSelector('.react-flow__node');
  await page.waitForFunction(() => {
    const edges = document.querySelectorAll('.react-flow__edge').length;
    const labels = document.querySelectorAll('.edge-label').length;
    return edges > 0 && labels === edges;
  });
}

/** The document the page shows, as the editor last saved it (its autosave). */
export async function savedDocument(page: Page): Promise<string> {
  const text = await page.evaluate(() => {
    const id = sessionStorage.getItem('ganvas.tab-document');
    return id === null ? null : localStorage.getItem(`ganvas.document.${id}`);
  });
  if (text === null) throw new Error('nothing autosaved');
  return text;
}

export async function edgeLabel(page: Page, edgeId: string): Promise<string> {
  return (await page.getByTestId(`edge-label-${edgeId}`).textContent()) ?? '';
}

/** Drops a file on the canvas, as a person dragging it from their desktop would. */
export async function dropFileOnCanvas(
  page: Page,
  file: { name: string; type: string; bytes: Uint8Array | string },
): Promise<void> {
  const bytes = typeof file.bytes === 'string' ? new TextEncoder().encode(file.bytes) : file.bytes;
  await page.getByTestId('canvas').evaluate(
    (canvas, { name, type, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name, { type }));
      canvas.dispatchEvent(
        new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
    },
    { name: file.name, type: file.type, data: [...bytes] },
  );
}

/** Drags a wire from one port to another, with the mouse, as a person would. */
type Box = { x: number; y: number; width: number; height: number };

/**
 * The element's box once it stays put for two animation frames: the canvas refits (animated)
 * when a panel beside it changes size, and a press measured mid-animation misses its port.
 */
async function settledBox(page: Page, locator: Locator): Promise<Box | null> {
  let before = await locator.boundingBox();
  for (let tries = 0; tries < 60; tries++) {
    await page.evaluate(
      () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
    );
    const now = await locator.boundingBox();
    if (now && before && now.x === before.x && now.y === before.y) return now;
    before = now;
  }
  return before;
}

export async function dragWire(
  page: Page,
  from: { node: string; port: string; side: 'in' | 'out' },
  to: { node: string; port: string; side: 'in' | 'out' },
): Promise<void> {
  const handle = (h: typeof from) =>
    page.getByTestId(`node-${h.node}`).getByTestId(`handle-${h.side}-${h.port}`);
  const a = await settledBox(page, handle(from));
  const b = await settledBox(page, handle(to));
  if (!a || !b) throw new Error('a port to wire is not on screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

/** Selects a Loss node on the canvas and picks its type in the inspector. */
export async function setLossType(page: Page, node: string, type: string): Promise<void> {
  await page.getByTestId(`node-${node}`).click();
  await page.waitForFunction(
    (id) =>
      (document.querySelector('[data-testid="node-id"]') as HTMLInputElement | null)?.value === id,
    node,
  );
  const field = page.getByTestId('field-type');
  // "=gan_mode" is an expression: back to a plain value first, then the select.
  if ((await field.locator('select').count()) === 0) {
    await page.getByTestId('field-expression-type').click();
  }
  await field.locator('select').selectOption(type);
  await page.waitForFunction(
    (t) =>
      (document.querySelector('[data-testid="field-type"] select') as HTMLSelectElement | null)
        ?.value === t,
    type,
  );
}

/** Waits until training has paused at `step` (a target reached, the Step button's steps, Pause). */
export async function pausedAt(page: Page, step: number, timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const hook = (window as unknown as { __ganvas: { phase(): string; step(): number } })
        .__ganvas;
      return hook.phase() === 'paused' && hook.step() === n;
    },
    step,
    { timeout, polling: 200 },
  );
}

/** Sets the step Run trains to. */
export async function setTarget(page: Page, step: number): Promise<void> {
  const target = page.getByTestId('target');
  await target.fill(String(step));
  await target.press('Enter');
}

/** Takes `count` steps with the Step button and waits until training paused at `step`. */
export async function stepTo(page: Page, count: number, step: number): Promise<void> {
  const input = page.getByTestId('step-count');
  await input.fill(String(count));
  await input.press('Enter');
  await page.getByTestId('step').click();
  await pausedAt(page, step);
}
