/**
 * The CycleGAN template as a newcomer first sees it, in a 1600×1000 window: at fit view with the
 * training dock open, every shape label and node title is at least 11 px on screen and no two
 * labels overlap; the dock, resized, covers no node after a fit; the minimap covers none; the
 * shapes can be written in PyTorch's order; the gallery shows pictures and whole descriptions.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ARTIFACTS, startEditor, waitForGraph, type Editor } from './harness';

let editor: Editor;

beforeAll(async () => {
  editor = await startEditor();
});

afterAll(async () => {
  await editor?.close();
});

async function openTemplate(dockOpen: boolean): Promise<Page> {
  const context = await editor.browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addInitScript((open) => {
    localStorage.setItem('ganvas.training', JSON.stringify({ dockOpen: open }));
  }, dockOpen);
  const page = await context.newPage();
  await page.goto(editor.url);
  await waitForGraph(page);
  await settled(page);
  return page;
}

/** Waits until the viewport stops moving (a fit may be animated or follow a resize). */
async function settled(page: Page): Promise<void> {
  let last = '';
  await expect
    .poll(async () => {
      const now = await page.evaluate(
        () => document.querySelector<HTMLElement>('.react-flow__viewport')!.style.transform,
      );
      const same = now === last;
      last = now;
      return same;
    })
    .toBe(true);
}

interface Box {
  id: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** On-screen text sizes (font size × every scale applied to it) and boxes. */
async function measure(page: Page) {
  return page.evaluate(() => {
    const screenFont = (e: HTMLElement) =>
      (parseFloat(getComputedStyle(e).fontSize) * e.getBoundingClientRect().width) / e.offsetWidth;
    const box = (e: Element, id: string) => {
      const r = e.getBoundingClientRect();
      return { id, left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    };
    const all = [...document.querySelectorAll<HTMLElement>('.edge-label')];
    const shown = all.filter((e) => getComputedStyle(e).visibility !== 'hidden');
    return {
      labels: shown.map((e) => ({ text: e.textContent, px: screenFont(e) })),
      labelBoxes: shown.map((e) => box(e, e.dataset.testid!)),
      hidden: all.filter((e) => !shown.includes(e)).map((e) => e.dataset.testid!),
      titles: [...document.querySelectorAll<HTMLElement>('.gnode-name')].map((e) => ({
        text: e.textContent,
        px: screenFont(e),
      })),
      nodes: [...document.querySelectorAll('.react-flow__node')].map((e) =>
        box(e, e.getAttribute('data-id')!),
      ),
      canvas: box(document.querySelector('.react-flow')!, 'canvas'),
      dock: box(document.querySelector('[data-testid="training"]')!, 'dock'),
      minimap: box(document.querySelector('.react-flow__minimap')!, 'minimap'),
      controls: box(document.querySelector('.react-flow__controls')!, 'controls'),
    };
  });
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function overlapping(boxes: Box[], others: Box[] = boxes): string[] {
  const found: string[] = [];
  boxes.forEach((a, i) =>
    others.forEach((b, j) => {
      if ((others !== boxes || j > i) && overlaps(a, b)) found.push(`${a.id} ~ ${b.id}`);
    }),
  );
  return found;
}

test('at fit view with the dock open, every shape and title is at least 11 px and no labels overlap', async () => {
  const page = await openTemplate(true);
  try {
    const m = await measure(page);
    expect(m.labels.length + m.hidden.length).toBe(42);
    for (const label of m.labels) expect(label.px, label.text ?? '').toBeGreaterThanOrEqual(11);
    for (const title of m.titles) expect(title.px, title.text ?? '').toBeGreaterThanOrEqual(11);
    expect(m.titles).toHaveLength(31);
    expect(overlapping(m.labelBoxes)).toEqual([]);
    // The only labels not drawn are the 5 further wires into opt_G's and 1 into opt_D's port,
    // whose shape the first wire's label already says.
    expect(m.hidden.every((id) => /->opt_[GD]\.loss$/.test(id))).toBe(true);
    expect(m.hidden).toHaveLength(6);
    // Nothing under the minimap or the zoom buttons, nothing outside the canvas.
    expect(overlapping(m.nodes, [m.minimap, m.controls, m.dock])).toEqual([]);
    for (const n of m.nodes) {
      expect(n.top).toBeGreaterThanOrEqual(m.canvas.top);
      expect(n.bottom).toBeLessThanOrEqual(m.canvas.bottom);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'cyclegan-fit-dock-open.png') });
  } finally {
    await page.context().close();
  }
});

test('the dock, dragged taller or shorter, covers no node once the view is fitted', async () => {
  const page = await openTemplate(true);
  try {
    const handle = await page.getByTestId('dock-resizer').boundingBox();
    if (!handle) throw new Error('no resize handle');
    const grab = { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 };
    for (const dy of [-200, 260]) {
      const at = (await page.getByTestId('dock-resizer').boundingBox())!;
      await page.mouse.move(grab.x, at.y + at.height / 2);
      await page.mouse.down();
      await page.mouse.move(grab.x, at.y + at.height / 2 + dy, { steps: 6 });
      await page.mouse.up();
      await page.getByTestId('fit-view').click();
      await settled(page);
      const m = await measure(page);
      expect(m.dock.top - at.y, `the dock moved by ${dy}`).toBeCloseTo(dy, -1);
      expect(overlapping(m.nodes, [m.dock, m.minimap, m.controls])).toEqual([]);
    }
    // Collapsed, the canvas takes the room and the graph is fitted again.
    await page.getByTestId('dock-toggle').click();
    await settled(page);
    const m = await measure(page);
    expect(overlapping(m.nodes, [m.dock, m.minimap, m.controls])).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'cyclegan-fit-dock-closed.png') });
  } finally {
    await page.context().close();
  }
});

test('shapes are said to be N×H×W×C, and PyTorch’s N×C×H×W rewrites every label', async () => {
  const page = await openTemplate(false);
  try {
    const label = page.getByTestId('edge-label-data.real_A->fake_B.in');
    expect(await label.textContent()).toBe('1×64×64×3');
    expect(await page.getByTestId('shape-order').locator('option:checked').textContent()).toMatch(
      /^N×H×W×C/,
    );
    await page.getByTestId('shape-order').selectOption('NCHW');
    await expect.poll(() => label.textContent()).toBe('1×3×64×64');
    const patch = page.getByTestId('edge-label-pred_real_B.out->D_A.real');
    expect(await patch.textContent()).toBe('1×1×6×6');
  } finally {
    await page.context().close();
  }
});

test('the gallery shows each template with a picture of its graph and its whole description', async () => {
  const page = await openTemplate(false);
  try {
    await page.getByTestId('templates').click();
    const gallery = page.getByTestId('template-gallery');
    const items = gallery.locator('li');
    const count = await items.count();
    expect(count).toBeGreaterThan(5);
    for (let i = 0; i < count; i++) {
      const item = items.nth(i);
      const picture = await item.getByTestId('template-picture').boundingBox();
      expect(picture!.width).toBeGreaterThan(100);
      expect(await item.locator('svg rect').count()).toBeGreaterThan(1);
      const whole = await item.locator('.template-description').evaluate((e) => ({
        cut: e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight,
        inside: e.getBoundingClientRect().right <= e.closest('li')!.getBoundingClientRect().right,
      }));
      expect(whole).toEqual({ cut: false, inside: true });
    }
  } finally {
    await page.context().close();
  }
});
