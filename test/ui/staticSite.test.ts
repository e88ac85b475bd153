/**
 * The built site from a plain static file server, in a folder below its root (as GitHub Pages
 * serves a project): the page, its assets and the training worker load from relative URLs, the
 * template opens and trains two steps. The build is done once, here.
 */
import { createServer, type Server } from 'node:http';
import { readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildSite, COMMON_ARGS, NO_GPU_ARGS, stepTo, waitForGraph } from './harness';

const FOLDER = '/some/folder/';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};
const TINY = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1&backend=cpu';

let outDir: string;
let server: Server;
let browser: Browser;
let site: string;
const served: string[] = [];

/** Files under FOLDER, nothing else: no fallback to index.html, no headers but the type. */
function serveStatically(root: string): Server {
  return createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    served.push(path);
    if (!path.startsWith(FOLDER)) {
      response.writeHead(404).end();
      return;
    }
    const file = normalize(path.slice(FOLDER.length) || 'index.html');
    readFile(join(root, file.endsWith('/') ? `${file}index.html` : file)).then(
      (body) => response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? '' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
}

beforeAll(async () => {
  outDir = await buildSite();
  server = serveStatically(outDir);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}${FOLDER}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...COMMON_ARGS, ...NO_GPU_ARGS],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

test('the built site, served from a folder by a static server, opens the template and trains 2 steps', async () => {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(site + TINY);
    await waitForGraph(page);
    expect(await page.getByTestId('node-fake_B').count()).toBe(1);
    await stepTo(page, 2, 2);
    expect(errors).toEqual([]);
    expect(served.filter((p) => !p.startsWith(FOLDER))).toEqual([]);
    expect(served.some((p) => p.startsWith(`${FOLDER}worker/`))).toBe(true);
  } finally {
    await context.close();
  }
});
