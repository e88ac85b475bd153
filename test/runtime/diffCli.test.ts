/** `ganvas diff` as a user runs it: a child process from the repository root. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/graph/document';
import { ganvas } from '../ganvasCli';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ganvas-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('ganvas diff names every changed loss type and the identity weight, and exits 1', async () => {
  const run = await ganvas('diff', 'templates/cyclegan.json', 'templates/cyclegan-discoloss.json');
  expect(run.code, run.stderr).toBe(1);
  const lines = run.stdout.trim().split('\n');
  for (const term of ['cycle_A', 'cycle_B']) expect(lines).toContain(`${term}: type l1 → l2`);
  for (const term of ['G_A', 'G_B', 'D_A', 'D_B']) {
    expect(lines).toContain(`${term}: type lsgan → vanilla (=gan_mode)`);
  }
  expect(lines).toContain('gan_mode: lsgan → vanilla');
  expect(lines).toContain('lambda_identity: 0.5 → 0');
  expect(lines).toContain('idt_A: weight 5 → 0 (=lambda_B*lambda_identity)');
});

it('ganvas diff exits 0 for identical graphs, and for graphs whose nodes only moved', async () => {
  const same = await ganvas('diff', 'templates/cyclegan.json', 'templates/cyclegan.json');
  expect(same.code, same.stdout).toBe(0);
  const doc = JSON.parse(
    readFileSync(join(ROOT, 'templates/cyclegan.json'), 'utf8'),
  ) as GraphDocument;
  for (const node of doc.nodes) node.position = { x: (node.position?.x ?? 0) + 40, y: 7 };
  const moved = join(dir, 'moved.json');
  writeFileSync(moved, JSON.stringify(doc));
  const run = await ganvas('diff', 'templates/cyclegan.json', moved);
  expect(run.code, run.stdout).toBe(0);
  expect(run.stdout).toContain('train the same');
});

it('ganvas diff with one file says what it expects, exit 1', async () => {
  const run = await ganvas('diff', 'templates/cyclegan.json');
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('expected two graph files');
});
