import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../', import.meta.url));

export interface ChildRun<T> {
  /** The last JSON line the child printed. */
  json: T;
  code: number | null;
  stderr: string;
}

/**
 * Runs a TypeScript script (path from the repository root) in a child Node process and resolves
 * with the last JSON line it printed, its exit code and its stderr; rejects when it printed no
 * JSON or ran past `timeoutMs` (it is killed). WebGPU tests run in children that exit
 * explicitly: Dawn's GPU object can keep a process alive, and a crash in the native driver stays
 * out of vitest.
 */
export function runChild<T>(
  script: string,
  args: string[],
  timeoutMs: number,
): Promise<ChildRun<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not exit within ${timeoutMs} ms:\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .at(-1);
      if (last === undefined)
        reject(new Error(`${script} printed no JSON (exit ${code}):\n${stderr}`));
      else resolve({ json: JSON.parse(last) as T, code, stderr });
    });
  });
}

/** As runChild, the JSON line only. */
export async function runJsonChild<T>(
  script: string,
  args: string[],
  timeoutMs: number,
): Promise<T> {
  return (await runChild<T>(script, args, timeoutMs)).json;
}
