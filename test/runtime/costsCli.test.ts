/** `ganvas check` shows what each network costs, and with --layers each layer. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function check(...args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/ganvas.mjs', 'check', 'templates/cyclegan.json', ...args],
      { cwd: ROOT, maxBuffer: 16 << 20 },
      (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
    );
  });
}

const row = (stdout: string, start: string) =>
  stdout.split('\n').find((line) => line.startsWith(start));

it("ganvas check prints each network's parameters, multiply-adds and activations, and a step's", async () => {
  const { code, stdout } = await check();
  expect(code).toBe(0);
  expect(row(stdout, 'G_A (at fake_B)')).toMatch(/11\.4 million\s+49\.6 G\s+211 MiB$/);
  expect(row(stdout, 'a step')).toBeDefined();
  expect(row(stdout, '  model.1 Conv')).toBeUndefined();
});

it('ganvas check --layers adds a row per layer with its output shape', async () => {
  const { code, stdout } = await check('--layers');
  expect(code).toBe(0);
  expect(row(stdout, '  model.1 Conv')).toMatch(/1×256×256×64\s+9,472\s+/);
  expect(row(stdout, '  model.10 Residual')).toMatch(/1\.18 million/);
});
