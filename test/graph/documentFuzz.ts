/**
 * Seeded mutations of the templates, run through parse, check and compile: what the fuzz test
 * runs a few thousand of per CI run, and `scripts/fuzzDocuments.ts` runs 100,000 of on demand.
 * Every mutation must end in a result: no exception escapes, every rejection names its place
 * (a path and a code), none takes more than a second, and Object.prototype is left as it was.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parseDocument } from '../../src/graph/document';
import type { Problem } from '../../src/graph/problems';
import { createRandom, type Random } from '../../src/runtime/data/random';
import { compileGraph } from '../../src/runtime/compile';

const TEMPLATES = new URL('../../templates/', import.meta.url);

export const templates: { name: string; value: unknown }[] = readdirSync(TEMPLATES)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((name) => ({ name, value: JSON.parse(readFileSync(new URL(name, TEMPLATES), 'utf8')) }));

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.int(items.length)]!;
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value of any JSON type, some of them hostile. */
function anyValue(random: Random, sibling: Json): Json {
  const values: (() => Json)[] = [
    () => null,
    () => random.next() < 0.5,
    () => pick(random, [0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, 1e-320, 1_000_000, 4096]),
    () => random.int(2000) - 1000,
    () =>
      pick(random, ['', 'x', '=1/0', '=size*1e300', '=a.b', '=toString(1)', '=(((((1)))))', '"']),
    () => '='.concat('('.repeat(random.int(300)), '1', ')'.repeat(random.int(300))),
    () => [],
    () => ({}),
    () => [sibling, sibling],
    () => (isObject(sibling) ? { ...sibling } : [sibling]),
    () => nested(random.int(3) === 0 ? 5000 : random.int(80)),
    () => 'x'.repeat(random.int(3) === 0 ? 100_000 : 10),
  ];
  return pick(random, values)();
}

function nested(depth: number): Json {
  let value: Json = 1;
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

/** The params of every node and layer, and the variables. */
function paramsOf(doc: Json): { [key: string]: Json }[] {
  if (!isObject(doc)) return [];
  const nodes = (list: Json | undefined) => (Array.isArray(list) ? list : []).filter(isObject);
  const bodies = nodes(doc.networks).map((n) => (isObject(n.body ?? null) ? n.body! : {}));
  return [...nodes(doc.nodes), ...bodies.flatMap((b) => nodes(isObject(b) ? b.nodes : []))]
    .map((n) => n.params ?? null)
    .concat(isObject(doc.variables ?? null) ? [doc.variables!] : [])
    .filter(isObject);
}

/** A container somewhere in the document, reached by random steps from the top. */
function randomContainer(random: Random, root: Json): Json[] | { [key: string]: Json } {
  // Half of the changes go to params, so that many documents pass parse and reach the checks.
  const params = paramsOf(root);
  if (params.length > 0 && random.next() < 0.5) return pick(random, params);
  let at = root as Json[] | { [key: string]: Json };
  for (let steps = random.int(7); steps > 0; steps--) {
    const children = Object.values(at).filter(
      (v): v is Json[] | { [key: string]: Json } => typeof v === 'object' && v !== null,
    );
    if (children.length === 0) break;
    at = pick(random, children);
  }
  return at;
}

/** Defines a key as JSON.parse would, so that "__proto__" becomes an own property. */
function put(target: { [key: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** One random change to the document (or any JSON value), in place. */
export function mutate(random: Random, doc: Json): void {
  const at = randomContainer(random, doc);
  const keys = Array.isArray(at) ? at.map((_, i) => String(i)) : Object.keys(at);
  const key = keys.length > 0 ? pick(random, keys) : '0';
  const value = (at as Record<string, Json>)[key] ?? null;
  const edits: (() => void)[] = [
    () => put(at as { [key: string]: Json }, key, anyValue(random, value)),
    () => {
      if (Array.isArray(at)) at.splice(Number(key), 1);
      else delete at[key];
    },
    () => {
      if (Array.isArray(at)) at.push(value);
      else put(at, `${key}${random.int(3) ? '' : '_copy'}`, value);
    },
    () => {
      // Swapped edges: ends exchanged, or wired to another node.
      const edges = (isObject(doc) && Array.isArray(doc.edges) ? doc.edges : []) as Json[];
      const edge = edges.length > 0 ? pick(random, edges) : null;
      if (!isObject(edge)) return;
      [edge.source, edge.target] = [edge.target ?? null, edge.source ?? null];
      if (random.next() < 0.5)
        [edge.sourcePort, edge.targetPort] = [edge.targetPort ?? null, edge.sourcePort ?? null];
    },
    () => {
      if (!isObject(at)) return;
      put(at, pick(random, PROTOTYPE_KEYS), random.next() < 0.5 ? { polluted: true } : 'polluted');
    },
    () => put(at as { [key: string]: Json }, key, nested(random.int(4) === 0 ? 10_000 : 70)),
    () =>
      put(
        at as { [key: string]: Json },
        key,
        pick(random, [1e308, -(2 ** 53), 2 ** 31, 6442450944]),
      ),
  ];
  pick(random, edits)();
}

export interface FuzzFailure {
  seed: number;
  template: string;
  what: string;
}

export interface FuzzReport {
  runs: number;
  failures: FuzzFailure[];
  slowestMs: number;
  slowest: { seed: number; template: string };
  /** How many mutations compiled, were refused by parse, or refused by the checks. */
  outcomes: { compiled: number; parseRefused: number; checkRefused: number };
}

function unnamed(problems: readonly Problem[]): Problem | undefined {
  return problems.find(
    (p) => typeof p.path !== 'string' || p.path === '' || typeof p.code !== 'string' || !p.code,
  );
}

function prototypeSnapshot(): string {
  return Object.getOwnPropertyNames(Object.prototype)
    .map(
      (name) => `${name}:${String(Object.getOwnPropertyDescriptor(Object.prototype, name)?.value)}`,
    )
    .join('|');
}

type Outcome = keyof FuzzReport['outcomes'];

/** Parse and compile (which checks); what it came to, or what is wrong with how it ended. */
function run(input: unknown): { outcome: Outcome } | { failure: string } {
  try {
    const parsed = parseDocument(input);
    const compiled = compileGraph(input);
    if (!parsed.ok) {
      if (compiled.ok) return { failure: 'compiled what parse refused' };
      const bad = unnamed(parsed.problems);
      if (bad || parsed.problems.length === 0)
        return { failure: `parse: a problem without its place: ${JSON.stringify(bad)}` };
      return { outcome: 'parseRefused' };
    }
    if (!compiled.ok) {
      const bad = unnamed(compiled.problems);
      if (bad || compiled.problems.length === 0)
        return { failure: `compile: a problem without its place: ${JSON.stringify(bad)}` };
      return { outcome: 'checkRefused' };
    }
    return { outcome: 'compiled' };
  } catch (e) {
    return { failure: `threw ${(e as Error)?.stack ?? String(e)}` };
  }
}

function timed(input: unknown): number {
  const started = performance.now();
  run(input);
  return performance.now() - started;
}

/** Runs `count` mutations from `seed` on: run s mutates template s mod n, drawing from seed s. */
export function fuzzDocuments(options: {
  count: number;
  seed: number;
  timeLimitMs?: number;
}): FuzzReport {
  const limit = options.timeLimitMs ?? 1000;
  const before = prototypeSnapshot();
  const report: FuzzReport = {
    runs: 0,
    failures: [],
    slowestMs: 0,
    slowest: { seed: options.seed, template: '' },
    outcomes: { compiled: 0, parseRefused: 0, checkRefused: 0 },
  };
  for (let i = 0; i < options.count; i++) {
    const seed = options.seed + i;
    const random = createRandom(seed);
    const template = templates[seed % templates.length]!;
    const doc = structuredClone(template.value) as Json;
    for (let n = 1 + random.int(3); n > 0; n--) mutate(random, doc);
    const fail = (what: string) => report.failures.push({ seed, template: template.name, what });
    // Half as text, as a file or link gives it; half as a value, as code passes it.
    let input: unknown = doc;
    if (random.next() < 0.5) {
      try {
        input = JSON.stringify(doc);
      } catch {
        // Too deep for JSON.stringify itself: passed as a value.
      }
    }
    const started = performance.now();
    const outcome = run(input);
    let ms = performance.now() - started;
    if ('failure' in outcome) fail(outcome.failure);
    else report.outcomes[outcome.outcome]++;
    // A run over the limit runs again: it fails when it is slow twice, so that a pause of a
    // shared machine is not taken for the code's.
    if (ms > limit) ms = Math.min(ms, timed(input));
    if (ms > report.slowestMs) {
      report.slowestMs = ms;
      report.slowest = { seed, template: template.name };
    }
    if (ms > limit) fail(`took ${ms.toFixed(0)} ms`);
    report.runs++;
  }
  if (prototypeSnapshot() !== before || ({} as Record<string, unknown>).polluted !== undefined) {
    report.failures.push({ seed: options.seed, template: '', what: 'Object.prototype changed' });
  }
  return report;
}
