/**
 * The editor in a real browser: Chromium driven by playwright-core against a production build.
 * Each test starts from an empty browser profile, so the editor opens with the CycleGAN template
 * at its quick start (size 64, ngf 32, ndf 32, n_blocks 6).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GraphDocument } from '../../src/graph/document';
import {
  ARTIFACTS,
  ROOT,
  dragWire,
  dropFileOnCanvas,
  edgeLabel,
  openEditor,
  savedDocument,
  startEditor,
  waitForGraph,
  type Editor,
} from './harness';

const template = JSON.parse(
  readFileSync(join(ROOT, 'templates/cyclegan.json'), 'utf8'),
) as GraphDocument;
const SHAPE = /^\d+(×\d+)*$|^scalar$/;

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

describe('the editor', () => {
  test("the page's bundle holds no tfjs: the editor needs shapes and forms, not tensors", () => {
    const assets = join(editor.outDir, 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    // Names tfjs-core registers whichever part of it is bundled: its flags and kernel names.
    const tfjs = /IS_BROWSER|WEBGL_VERSION|TensorScatterUpdate|ResizeNearestNeighborGrad/;
    for (const file of scripts) {
      const found = tfjs.exec(readFileSync(join(assets, file), 'utf8'));
      expect(found?.[0], `${file} holds tfjs`).toBeUndefined();
    }
  });

  test('opens with the CycleGAN template: every node on screen, every edge labelled with its shape', async () => {
    const context = await editor.browser.newContext({
      viewport: { width: 1680, height: 1050 },
      deviceScaleFactor: 2,
    });
    try {
      const { page } = await openEditor(editor, context);
      const canvas = (await page.getByTestId('canvas').boundingBox())!;
      for (const node of template.nodes) {
        const box = await page.getByTestId(`node-${node.id}`).boundingBox();
        expect(box, `node ${node.id} is drawn`).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(canvas.x);
        expect(box!.y).toBeGreaterThanOrEqual(canvas.y);
        expect(box!.x + box!.width).toBeLessThanOrEqual(canvas.x + canvas.width);
        expect(box!.y + box!.height).toBeLessThanOrEqual(canvas.y + canvas.height);
      }
      const labels = await page.locator('.edge-label').allTextContents();
      expect(labels).toHaveLength(template.edges.length);
      for (const label of labels) expect(label).toMatch(SHAPE);
      expect(await edgeLabel(page, 'data.real_A->fake_B.in')).toBe('1×64×64×3');
      expect(await edgeLabel(page, 'pred_real_B.out->D_A.real')).toBe('1×6×6×1');
      // The three applications of G_A wear its name and colour.
      const applications = template.nodes.filter((n) => n.params?.network === 'G_A');
      expect(applications.length).toBeGreaterThan(1);
      for (const n of applications) {
        await expect
          .poll(() => page.getByTestId(`node-network-${n.id}`).textContent())
          .toBe('G_A (A→B)');
      }
      expect(await page.getByTestId('problem-count').textContent()).toBe('0 errors');
      await page.screenshot({ path: join(ARTIFACTS, 'cyclegan.png') });
    } finally {
      await context.close();
    }
  });

  test("changing the stride of G_A's first convolution changes the shapes downstream and marks the loss that no longer fits", async () => {
    const { context, page } = await openEditor(editor);
    try {
      expect(await edgeLabel(page, 'fake_B.out->rec_A.in')).toBe('1×64×64×3');
      await page.getByTestId('node-fake_B').dblclick();
      await page.getByTestId('breadcrumb-network').waitFor();
      expect(await page.getByTestId('breadcrumb-network').textContent()).toContain('G_A');
      await waitForGraph(page);
      expect(await edgeLabel(page, 'model.1.out->model.2.in')).toBe('1×64×64×32');
      expect(await edgeLabel(page, 'model.24.out->output.in')).toBe('1×64×64×3');

      await page.getByTestId('node-model.1').click();
      const stride = page.getByTestId('field-input-stride');
      await stride.fill('2');
      await stride.press('Enter');
      await expect.poll(() => edgeLabel(page, 'model.1.out->model.2.in')).toBe('1×32×32×32');
      expect(await edgeLabel(page, 'model.24.out->output.in')).toBe('1×32×32×3');
      await page.screenshot({ path: join(ARTIFACTS, 'g_a-stride-2.png') });

      await page.getByTestId('breadcrumb-root').click();
      await page.getByTestId('node-cycle_A').waitFor();
      await waitForGraph(page);
      expect(await edgeLabel(page, 'fake_B.out->rec_A.in')).toBe('1×32×32×3');
      expect(await edgeLabel(page, 'rec_A.out->cycle_A.input')).toBe('1×32×32×3');
      // The loss whose two inputs no longer agree is marked at its "target" port.
      const target = page.getByTestId('node-cycle_A').getByTestId('handle-in-target');
      await expect.poll(() => target.getAttribute('class')).toContain('handle-invalid');
      expect(await page.getByTestId('node-problem-cycle_A').textContent()).toContain(
        '"target" must have the shape of "input" (1×32×32×3), received 1×64×64×3',
      );
      const edge = page.getByTestId('edge-label-data.real_A->cycle_A.target');
      expect(await edge.getAttribute('class')).toContain('edge-label-invalid');

      // The problems panel lists it; clicking it selects the node.
      const item = page.getByTestId('problem-item').filter({ hasText: 'cycle_A.target' });
      await item.click();
      await expect
        .poll(() => page.locator('.react-flow__node.selected').getAttribute('data-id'))
        .toBe('cycle_A');
      expect(await page.getByTestId('node-id').inputValue()).toBe('cycle_A');
      await page.screenshot({ path: join(ARTIFACTS, 'stride-2-problems.png') });
    } finally {
      await context.close();
    }
  });

  test('a node added from the palette and wired, undone and redone, gives back exactly the same documents', async () => {
    const { context, page } = await openEditor(editor);
    try {
      const before = await savedDocument(page);
      await page.getByTestId('palette-search').fill('prev');
      await page.getByTestId('palette-item-Preview').click();
      await page.getByTestId('node-preview').waitFor();
      await page.getByTestId('palette-search').fill('');
      await dragWire(
        page,
        { node: 'fake_B', port: 'out', side: 'out' },
        { node: 'preview', port: 'in', side: 'in' },
      );
      await expect.poll(() => edgeLabel(page, 'fake_B.out->preview.in')).toBe('1×64×64×3');
      const after = await savedDocument(page);
      const doc = JSON.parse(after) as GraphDocument;
      expect(doc.nodes.find((n) => n.id === 'preview')?.kind).toBe('Preview');
      expect(doc.edges).toContainEqual({
        source: 'fake_B',
        sourcePort: 'out',
        target: 'preview',
        targetPort: 'in',
      });

      // A wire from an image to an optimizer's loss input is refused, with the reason.
      await dragWire(
        page,
        { node: 'data', port: 'real_A', side: 'out' },
        { node: 'opt_G', port: 'loss', side: 'in' },
      );
      await expect
        .poll(() => page.getByTestId('notice').textContent())
        .toContain(`an optimizer's "loss" input takes a loss term, not an image tensor`);
      expect(await savedDocument(page)).toBe(after);

      // A wire into a taken input replaces the edge there, in one undoable step.
      await dragWire(
        page,
        { node: 'fake_A', port: 'out', side: 'out' },
        { node: 'preview', port: 'in', side: 'in' },
      );
      await expect
        .poll(() => page.getByTestId('notice').textContent())
        .toContain('preview.in now comes from fake_A.out (was fake_B.out)');
      await expect.poll(() => edgeLabel(page, 'fake_A.out->preview.in')).toBe('1×64×64×3');
      await page.getByTestId('undo').click();
      await expect.poll(() => savedDocument(page)).toBe(after);

      await page.getByTestId('undo').click();
      await page.getByTestId('undo').click();
      await expect.poll(() => savedDocument(page)).toBe(before);
      await page.getByTestId('node-preview').waitFor({ state: 'detached' });
      await page.keyboard.press('Control+Shift+Z');
      await page.getByTestId('redo').click();
      await expect.poll(() => savedDocument(page)).toBe(after);
      await expect.poll(() => edgeLabel(page, 'fake_B.out->preview.in')).toBe('1×64×64×3');
    } finally {
      await context.close();
    }
  });

  test('a port takes a press anywhere on its dot, on a network node too: the wire starts, the node stays', async () => {
    const { context, page } = await openEditor(editor);
    try {
      // The mouse reports whole pixels: each dot is probed at its centre and towards its four
      // edges, at the pixel a press there lands on.
      const missed = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.react-flow__handle')].flatMap((handle) => {
          const box = handle.getBoundingClientRect();
          const [x, y, dx, dy] = [
            box.x + box.width / 2,
            box.y + box.height / 2,
            0.3 * box.width,
            0.3 * box.height,
          ];
          const probes: [number, number][] = [
            [x, y],
            [x - dx, y],
            [x + dx, y],
            [x, y - dy],
            [x, y + dy],
          ];
          const node = handle.closest('.react-flow__node')?.getAttribute('data-id');
          return probes
            .map(([px, py]) => [Math.round(px), Math.round(py)] as const)
            .filter(([px, py]) => !handle.contains(document.elementFromPoint(px, py)))
            .map(([px, py]) => `${node}.${handle.dataset.handleid} at ${px},${py}`);
        }),
      );
      expect(missed).toEqual([]);

      await page.getByTestId('palette-search').fill('prev');
      await page.getByTestId('palette-item-Preview').click();
      await page.getByTestId('problem-item').filter({ hasText: 'preview.in' }).waitFor();
      // The problems panel grew, and the canvas refits to its new size: press once it is still.
      const dot = page.getByTestId('node-fake_B').getByTestId('handle-out-out');
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      let from = await dot.boundingBox();
      await expect
        .poll(async () => {
          const last = from;
          from = await dot.boundingBox();
          return JSON.stringify(from) === JSON.stringify(last);
        })
        .toBe(true);
      const to = (await page
        .getByTestId('node-preview')
        .getByTestId('handle-in-in')
        .boundingBox())!;
      const placed = (JSON.parse(await savedDocument(page)) as GraphDocument).nodes.find(
        (n) => n.id === 'fake_B',
      )?.position;
      // Pressed on the dot's outer half, beyond the node's border.
      await page.mouse.move(
        Math.round(from!.x + 0.8 * from!.width),
        Math.round(from!.y + from!.height / 2),
      );
      await page.mouse.down();
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
      await page.mouse.up();
      await expect.poll(() => edgeLabel(page, 'fake_B.out->preview.in')).toBe('1×64×64×3');
      const after = JSON.parse(await savedDocument(page)) as GraphDocument;
      expect(after.nodes.find((n) => n.id === 'fake_B')?.position).toEqual(placed);
    } finally {
      await context.close();
    }
  });

  test("a discriminator's taps, picked among its network's layers, become output ports that wire with their shapes", async () => {
    const { context, page } = await openEditor(editor);
    try {
      await page.getByTestId('node-pred_fake_B').click();
      const taps = page.getByTestId('field-input-taps');
      expect(await taps.locator('input[type=checkbox]').count()).toBe(12);
      expect(await taps.textContent()).toContain('model.11Conv 1×6×6×1');
      await page.getByTestId('tap-model.4').check();
      const handle = page.getByTestId('node-pred_fake_B').getByTestId('handle-out-model.4');
      await handle.waitFor();
      await expect.poll(() => handle.locator('..').getAttribute('title')).toContain('1×16×16×64');

      await page.getByTestId('palette-search').fill('loss');
      await page.getByTestId('palette-item-Loss').click();
      await page.getByTestId('node-loss').waitFor();
      await page.getByTestId('palette-search').fill('');
      // From the loss's input to the tap: a drop finds the nearest port.
      await dragWire(
        page,
        { node: 'loss', port: 'input', side: 'in' },
        { node: 'pred_fake_B', port: 'model.4', side: 'out' },
      );
      await expect
        .poll(() => edgeLabel(page, 'pred_fake_B.model.4->loss.input'))
        .toBe('1×16×16×64');
      const doc = JSON.parse(await savedDocument(page)) as GraphDocument;
      expect(doc.nodes.find((n) => n.id === 'pred_fake_B')!.params).toEqual({
        network: 'D_A',
        taps: ['model.4'],
      });
      await page.screenshot({ path: join(ARTIFACTS, 'taps.png') });
    } finally {
      await context.close();
    }
  });

  test('saves, reloads, refuses a corrupted file with its places, and shares a link that opens the same graph', async () => {
    const { context, page } = await openEditor(editor);
    try {
      const ngf = page.getByTestId('variable-input-ngf');
      await ngf.fill('16');
      await ngf.press('Enter');
      await expect.poll(() => page.getByTestId('network-params-G_A').textContent()).toBe('494.1 k');
      const edited = await savedDocument(page);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('save').click(),
      ]);
      expect(download.suggestedFilename()).toBe('CycleGAN.ganvas.json');
      const file = readFileSync((await download.path())!, 'utf8');
      expect(file).toBe(edited);

      await page.reload();
      await waitForGraph(page);
      expect(await savedDocument(page)).toBe(edited);
      expect(await page.getByTestId('variable-input-ngf').inputValue()).toBe('16');

      const broken = JSON.parse(file) as Record<string, unknown> & GraphDocument;
      (broken.nodes[2]!.position as unknown as { x: unknown }).x = 'left';
      broken.edges[4]!.targetPort = '';
      await page.getByTestId('open-file-input').setInputFiles({
        name: 'broken.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(broken)),
      });
      await page.getByTestId('report').waitFor();
      const problems = await page.getByTestId('report-problem').allTextContents();
      expect(problems.some((p) => p.startsWith('nodes[2].position.x: '))).toBe(true);
      expect(problems.some((p) => p.startsWith('edges[4].targetPort: '))).toBe(true);
      await page.getByTestId('report-close').click();
      expect(await savedDocument(page)).toBe(edited);
      expect(await page.locator('.react-flow__node').count()).toBe(template.nodes.length);

      await page.getByTestId('share').click();
      const link = page.getByTestId('share-link');
      await expect.poll(() => link.inputValue()).toContain('#graph=');
      const url = await link.inputValue();
      const elsewhere = await editor.browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const other = await elsewhere.newPage();
        await other.goto(url);
        await waitForGraph(other);
        expect(await savedDocument(other)).toBe(edited);
        expect(other.url()).not.toContain('#graph=');
      } finally {
        await elsewhere.close();
      }
    } finally {
      await context.close();
    }
  });

  test('the template gallery lists every file in templates/ with its description', async () => {
    const { context, page } = await openEditor(editor);
    try {
      await page.getByTestId('templates').click();
      const files = readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.json'));
      for (const file of files) {
        const doc = JSON.parse(
          readFileSync(join(ROOT, 'templates', file), 'utf8'),
        ) as GraphDocument;
        const card = page.getByTestId(`template-${file}`);
        expect(await card.textContent()).toContain(doc.name);
        if (doc.description) expect(await card.textContent()).toContain(doc.description);
      }
      const other = files.find((f) => f !== 'cyclegan.json');
      if (other) {
        const doc = JSON.parse(
          readFileSync(join(ROOT, 'templates', other), 'utf8'),
        ) as GraphDocument;
        await page.getByTestId(`template-${other}`).click();
        await expect.poll(() => page.locator('.toolbar .doc-name').textContent()).toBe(doc.name);
        await waitForGraph(page);
        expect(await page.locator('.react-flow__node').count()).toBe(doc.nodes.length);
      }
    } finally {
      await context.close();
    }
  });

  test('a file dropped on the canvas opens', async () => {
    const { context, page } = await openEditor(editor);
    try {
      const doc = structuredClone(template);
      doc.name = 'Dropped';
      doc.variables.size!.value = 128;
      const text = JSON.stringify(doc);
      await dropFileOnCanvas(page, { name: 'dropped.json', type: 'application/json', bytes: text });
      await expect.poll(() => edgeLabel(page, 'data.real_A->fake_B.in')).toBe('1×128×128×3');
      // Opened without an id, it is given one: what its training runs will belong to.
      const { id, ...saved } = JSON.parse(await savedDocument(page)) as GraphDocument;
      expect(saved).toEqual(doc);
      expect(id).toMatch(/^doc-[0-9a-f]{24}$/);
    } finally {
      await context.close();
    }
  });

  test('closing the page right after an edit and opening it again keeps the edit', async () => {
    const { context, page } = await openEditor(editor);
    try {
      const lambda = page.getByTestId('variable-input-lambda_A');
      await lambda.fill('7');
      await lambda.press('Enter');
      await page.close();
      const again = await context.newPage();
      await again.goto(editor.url);
      await waitForGraph(again);
      expect(await again.getByTestId('variable-input-lambda_A').inputValue()).toBe('7');
      expect(
        (JSON.parse(await savedDocument(again)) as GraphDocument).variables.lambda_A!.value,
      ).toBe(7);
    } finally {
      await context.close();
    }
  });

  test('Discriminators copied from CycleGAN in one tab paste into DCGAN in another, with their network and variables', async () => {
    const { context, page: source } = await openEditor(editor);
    try {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: new URL(editor.url).origin,
      });
      await source.getByTestId('node-pred_fake_B').click();
      await source.getByTestId('node-pred_real_B').click({ modifiers: ['Control'] });
      await expect.poll(() => source.locator('.react-flow__node.selected').count()).toBe(2);
      await source.keyboard.press('Control+C');
      await expect
        .poll(() => source.getByTestId('notice').textContent())
        .toContain('Copied 2 nodes');
      const copied = await source.evaluate(() => navigator.clipboard.readText());
      expect(JSON.parse(copied)).toMatchObject({
        format: 'ganvas-clipboard',
        networks: [{ id: 'D_A' }],
      });

      // Headless Chromium's system clipboard works: the key fires a real `paste` event.
      const { page: target } = await openEditor(editor, context, '/?template=dcgan');
      await target.bringToFront();
      await target.keyboard.press('Control+V');
      await expect
        .poll(() => target.getByTestId('notice').textContent())
        .toContain('Pasted 2 nodes, network D_A, variables n_layers_D, norm');
      await target.getByTestId('node-pred_real_B').waitFor();
      expect(
        await target
          .locator('.react-flow__node.selected')
          .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id'))),
      ).toEqual(['pred_fake_B', 'pred_real_B']);
      const doc = JSON.parse(await savedDocument(target)) as GraphDocument;
      expect(doc.name).not.toBe(template.name);
      // Pasted once: the key and the paste event do not both paste.
      expect(doc.nodes.filter((n) => n.params?.network === 'D_A').map((n) => n.id)).toEqual([
        'pred_fake_B',
        'pred_real_B',
      ]);
      expect(doc.networks.map((n) => n.id)).toEqual(['G', 'D', 'D_A']);
      expect(doc.networks.at(-1)).toEqual(template.networks.find((n) => n.id === 'D_A'));
      expect(doc.variables.norm).toEqual(template.variables.norm);
      await target.screenshot({ path: join(ARTIFACTS, 'pasted-from-another-tab.png') });

      // Undo takes the whole paste back in one step.
      await target.keyboard.press('Control+Z');
      await expect
        .poll(async () => (JSON.parse(await savedDocument(target)) as GraphDocument).networks)
        .toHaveLength(2);
    } finally {
      await context.close();
    }
  });
});
