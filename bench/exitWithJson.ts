/**
 * How a child process of the tests and benches ends (test/jsonChild.ts reads it): one JSON line,
 * the result or `{ ...context, error }`, then an explicit exit, since a WebGPU device keeps Node
 * alive after the work is done.
 */
export async function exitWithJson(
  work: () => Promise<object>,
  context: object = {},
): Promise<never> {
  try {
    process.stdout.write(JSON.stringify(await work()) + '\n');
    process.exit(0);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    process.stdout.write(JSON.stringify({ ...context, error }) + '\n');
    process.exit(1);
  }
}
