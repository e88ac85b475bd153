/**
 * The `ganvas` command as a user runs it (`node bin/ganvas.mjs ...` from the repository root),
 * for the command-line tests: its exit code and both outputs, never a thrown error.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function ganvas(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/ganvas.mjs', ...args],
      { cwd: ROOT, timeout: 230_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The whole output, to show when an expectation fails. */
export const shown = (run: Run) =>
  `exit ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;

/** The JSON lines of a `--log` file. */
export function readLog<T = { step: number; losses: Record<string, number>; stepMs: number }>(
  file: string,
): T[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}
