/**
 * `npx tsx bench/pageLongTasks.ts [--seconds 60] [--backend webgpu|webgl|cpu]`: whether the page
 * stays smooth while it trains. Serves a production build (as the browser tests do, see
 * test/ui/harness.ts), opens it in headless Chromium, trains a tiny CycleGAN from a link with the
 * panel open (loss curves and samples drawn), and records every main-thread task over 50 ms
 * (a PerformanceObserver for 'longtask') from the click on Run to the end. Prints the longest,
 * how many there were, and the steps trained; the page should stay under 50 ms.
 *
 * `--large 4000` instead opens a document of that many more layers in its generator (as a file)
 * and edits a variable its shapes depend on, and prints the long tasks from the open to the
 * check of the edit shown (test/ui/largeDocument.ts): whether a large document's check holds the
 * page.
 *
 * To find what is long: --profile samples the page's JavaScript (the DevTools profiler) and
 * prints the functions that took the most time; --trace records a Chromium trace and prints, for
 * each long task of the page's main thread, its wall and thread time (a task much longer than
 * its thread time waited for the CPU: another process had it) and what it spent them on.
 */
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import {
  NO_GPU_ARGS,
  WEBGL_ONLY_ARGS,
  WEBGPU_ARGS,
  startEditor,
  waitForGraph,
} from '../test/ui/harness';
import { openLargeAndEdit, recordLongTasks, recordedLongTasks } from '../test/ui/largeDocument';

const LINK = '?size=16&ngf=4&ndf=4&n_blocks=1&n_layers_D=2&seed=1';
const LONG_MS = 50;

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    seconds: { type: 'string', default: '60' },
    backend: { type: 'string', default: 'webgpu' },
    profile: { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    large: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const backend = values.backend!;
const ARGS: Record<string, readonly string[]> = {
  webgpu: WEBGPU_ARGS,
  webgl: WEBGL_ONLY_ARGS,
  cpu: NO_GPU_ARGS,
};
if (!(backend in ARGS))
  throw new Error(`--backend: expected webgpu, webgl or cpu, received "${backend}"`);
if (!(seconds > 0))
  throw new Error(`--seconds: expected a positive number, received "${values.seconds}"`);

interface Hook {
  phase(): string;
  step(): number;
}
type Recorded = { __longTasks: { start: number; duration: number }[]; __ganvas: Hook };

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The functions the samples fell in most (self time), from a DevTools CPU profile. */
function topFunctions(
  profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] },
  count: number,
): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfMs = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    if (['(idle)', '(program)', '(garbage collector)'].includes(frame.functionName)) return;
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
    selfMs.set(name, (selfMs.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...selfMs]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(7)} ms  ${name}`);
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Records a Chromium trace of the page until the returned function is called. */
async function startTrace(page: Page): Promise<() => Promise<TraceEvent[]>> {
  const session = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on('Tracing.dataCollected', ({ value }) =>
    events.push(...(value as unknown as TraceEvent[])),
  );
  await session.send('Tracing.start', {
    transferMode: 'ReportEvents',
    categories: 'toplevel,devtools.timeline,disabled-by-default-devtools.timeline,v8.execute',
  });
  return async () => {
    const complete = new Promise((resolve) => session.once('Tracing.tracingComplete', resolve));
    await session.send('Tracing.end');
    await complete;
    return events;
  };
}

/**
 * The longest task of a renderer's main thread by thread time (what the page's own work took),
 * then each long task: wall and thread ms, and its inner events by time.
 */
function longTasksInTrace(events: readonly TraceEvent[]): string[] {
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`));
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > LONG_MS * 1000);
  const busiest = Math.max(
    0,
    ...onMain.filter((e) => e.name === 'RunTask').map((e) => e.tdur ?? 0),
  );
  const lines = tasks.map((task) => {
    const end = task.ts + task.dur!;
    const inner = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || e.pid !== task.pid || e.tid !== task.tid) continue;
      if (e.ts < task.ts || e.ts + (e.dur ?? 0) > end) continue;
      inner.set(e.name, (inner.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    }
    const top = [...inner]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
      .join(', ');
    return `${(task.dur! / 1000).toFixed(0)} ms wall, ${((task.tdur ?? 0) / 1000).toFixed(0)} ms thread: ${top}`;
  });
  return [`the longest task by thread time: ${(busiest / 1000).toFixed(0)} ms`, ...lines];
}

async function startProfile(page: Page): Promise<CDPSession> {
  const session = await page.context().newCDPSession(page);
  await session.send('Profiler.enable');
  await session.send('Profiler.setSamplingInterval', { interval: 500 });
  await session.send('Profiler.start');
  return session;
}

/** Opens a large document and edits it: the long tasks from the open to the edit's check. */
async function largeDocument(layers: number): Promise<void> {
  const editor = await startEditor(ARGS[backend]);
  try {
    const context = await editor.browser.newContext({ viewport: { width: 1680, height: 1050 } });
    const page = await context.newPage();
    await page.goto(editor.url);
    await waitForGraph(page);
    const profiler = values.profile ? await startProfile(page) : undefined;
    await recordLongTasks(page);
    const started = performance.now();
    const { weights, memory, editedAt } = await openLargeAndEdit(page, layers);
    const seconds = (performance.now() - started) / 1000;
    const tasks = await recordedLongTasks(page);
    const describe = (list: typeof tasks) =>
      `longest task ${Math.max(0, ...list.map((t) => t.duration)).toFixed(0)} ms, ${list.length} over ${LONG_MS} ms ` +
      `(${list.map((t) => t.duration.toFixed(0)).join(', ') || 'none'})`;
    console.log(
      `a ${layers}-layer body opened (G ${weights}) and edited (a step ${memory}) in ${seconds.toFixed(1)} s`,
    );
    console.log(`  opening: ${describe(tasks.filter((t) => t.start < editedAt))}`);
    console.log(`  the edit: ${describe(tasks.filter((t) => t.start >= editedAt))}`);
    if (profiler) {
      const { profile } = (await profiler.send('Profiler.stop')) as unknown as {
        profile: Parameters<typeof topFunctions>[0];
      };
      console.log('  where the page spent its time (self):');
      for (const line of topFunctions(profile, 15)) console.log(`    ${line}`);
    }
    await context.close();
  } finally {
    await editor.close();
  }
  process.exit(0);
}
if (values.large !== undefined) {
  const layers = Number(values.large);
  if (!(Number.isInteger(layers) && layers > 0))
    throw new Error(`--large: expected a positive number of layers, received "${values.large}"`);
  await largeDocument(layers);
}

const editor = await startEditor(ARGS[backend]);
try {
  const context = await editor.browser.newContext({ viewport: { width: 1680, height: 1050 } });
  await context.addInitScript(() => {
    const recorded = window as unknown as Recorded;
    recorded.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        recorded.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  const page = await context.newPage();
  await page.goto(`${editor.url}${LINK}&backend=${backend}`);
  await waitForGraph(page);
  const profiler = values.profile ? await startProfile(page) : undefined;
  const tracer = values.trace ? await startTrace(page) : undefined;
  const started = await page.evaluate(() => performance.now());
  await page.getByTestId('run').click();
  await page.waitForFunction(() => (window as unknown as Recorded).__ganvas.step() >= 1, null, {
    timeout: 300_000,
    polling: 200,
  });
  const firstStep = await page.evaluate(() => performance.now());
  await page.waitForTimeout(seconds * 1000);
  const steps = await page.evaluate(() => (window as unknown as Recorded).__ganvas.step());
  const tasks = await page.evaluate(
    (from) => (window as unknown as Recorded).__longTasks.filter((t) => t.start >= from),
    started,
  );
  const profile = profiler
    ? ((await profiler.send('Profiler.stop')) as unknown as {
        profile: Parameters<typeof topFunctions>[0];
      })
    : undefined;
  const trace = tracer ? await tracer() : undefined;
  await page.getByTestId('pause').click();
  const loading = await page.evaluate(
    (before) => (window as unknown as Recorded).__longTasks.filter((t) => t.start < before),
    started,
  );
  const training = tasks.filter((t) => t.start >= firstStep);
  const longest = (list: typeof tasks) => Math.max(0, ...list.map((t) => t.duration));
  const over = (list: typeof tasks) => list.filter((t) => t.duration > LONG_MS).length;
  console.log(
    `${backend}: ${steps} steps in ${seconds} s of training (${(steps / seconds).toFixed(1)} steps/s)`,
  );
  console.log(
    `  opening the page (the observer at work): longest task ${longest(loading).toFixed(0)} ms, ${over(loading)} over ${LONG_MS} ms`,
  );
  console.log(
    `  from the click on Run (worker start and compile included): longest task ${longest(tasks).toFixed(0)} ms, ${over(tasks)} over ${LONG_MS} ms`,
  );
  console.log(
    `  while training: longest task ${longest(training).toFixed(0)} ms, ${over(training)} over ${LONG_MS} ms`,
  );
  const worst = [...tasks].sort((a, b) => b.duration - a.duration).slice(0, 5);
  for (const t of worst) {
    console.log(
      `    ${t.duration.toFixed(0).padStart(5)} ms at ${((t.start - started) / 1000).toFixed(1)} s after Run`,
    );
  }
  if (profile) {
    console.log('  where the page spent its time (self, whole run):');
    for (const line of topFunctions(profile.profile, 15)) console.log(`    ${line}`);
  }
  if (trace) {
    console.log('  long tasks in the trace (ms of the events inside, nested ones counted again):');
    for (const line of longTasksInTrace(trace)) console.log(`    ${line}`);
  }
  await context.close();
} finally {
  await editor.close();
}
process.exit(0);
