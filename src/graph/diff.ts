/**
 * What differs between two graphs, in words: `cycle_A: type l1 → l2`, `gan_mode: lsgan →
 * vanilla`, `G_A: n_blocks 9 → 6`, nodes added or removed, wires moved. What the diff names is
 * what changes training: variables (with a run's overrides), networks (their presets and params,
 * or their layers and wires), nodes and their params, wires. A node's position, labels, colours,
 * descriptions and the graph's name are the editor's, not training's, and never count.
 *
 * A param is compared as training reads it: written values with the kind's defaults filled in
 * (`role` left out equals `role: "discriminator"`), and expressions at their values, so that a
 * variable's change shows at every param it moves (`G_A: type lsgan → vanilla (=gan_mode)`).
 */
import { z } from 'zod';
import { findNodeKind } from '../nodes';
import type { BodyDocument, EdgeDocument, GraphDocument, NetworkDocument } from './document';
import { isExpression, resolveParams, type VariableValue, type Variables } from './expression';
import { PRESETS, isPresetName } from './presets';

/** One side of a comparison: a graph, and the variable overrides its run set. */
export interface DiffSide {
  document: GraphDocument;
  overrides?: Readonly<Record<string, VariableValue>>;
}

export type ChangeScope = 'variable' | 'network' | 'node' | 'wire';

/** One difference: what it is about (`cycle_A`, `G_A.model.1`) and what changed there. */
export interface GraphChange {
  scope: ChangeScope;
  subject: string;
  change: string;
}

/** A change as one line: `cycle_A: type l1 → l2`. */
export function describeChange(c: GraphChange): string {
  return `${c.subject}: ${c.change}`;
}

/** A value as the diff writes it: `l1`, `0.5`, `[G_A, G_B]`, `(none)`. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** JSON with sorted keys: the same value written in another key order is the same. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function variablesOf(side: DiffSide): Variables {
  const values = Object.create(null) as Record<string, VariableValue>;
  for (const [name, v] of Object.entries(side.document.variables)) values[name] = v.value;
  for (const [name, v] of Object.entries(side.overrides ?? {})) {
    if (name in values) values[name] = v;
  }
  return values;
}

/** A schema's default for a key, when it is an object schema that has one. */
function defaultOf(schema: z.ZodType | undefined, key: string): unknown {
  if (!(schema instanceof z.ZodObject)) return undefined;
  const field = (schema.shape as Record<string, z.ZodType | undefined>)[key];
  const parsed = field?.safeParse(undefined);
  return parsed?.success ? parsed.data : undefined;
}

/** A param's value at one side: as written (defaults filled in) and as training reads it. */
interface ParamValue {
  written: unknown;
  value: unknown;
}

function paramValue(
  params: Readonly<Record<string, unknown>> | undefined,
  key: string,
  schema: z.ZodType | undefined,
  variables: Variables,
): ParamValue {
  const written = params && Object.hasOwn(params, key) ? params[key] : defaultOf(schema, key);
  if (written === undefined) return { written, value: undefined };
  const resolved = resolveParams({ [key]: written }, variables);
  return { written, value: resolved.errors.length ? written : resolved.value[key] };
}

/** `type l1 → l2`, with the expression behind a value when one moved it. */
function paramChange(key: string, a: ParamValue, b: ParamValue): string | undefined {
  const writtenSame = same(a.written, b.written);
  const valueSame = same(a.value, b.value);
  if (writtenSame && valueSame) return undefined;
  const arrow = `${key} ${formatValue(a.value)} → ${formatValue(b.value)}`;
  if (writtenSame) return `${arrow} (${formatValue(a.written)})`;
  if (valueSame) {
    return `${key} ${formatValue(a.written)} → ${formatValue(b.written)} (both ${formatValue(a.value)})`;
  }
  const shown = [a.written, b.written].some(isExpression)
    ? ` (written ${formatValue(a.written)} → ${formatValue(b.written)})`
    : '';
  return arrow + shown;
}

/** The changes of every param of two parameter sets read with one schema. */
function paramChanges(
  a: Readonly<Record<string, unknown>> | undefined,
  b: Readonly<Record<string, unknown>> | undefined,
  schema: z.ZodType | undefined,
  variablesA: Variables,
  variablesB: Variables,
): string[] {
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
  return keys.flatMap((key) => {
    const change = paramChange(
      key,
      paramValue(a, key, schema, variablesA),
      paramValue(b, key, schema, variablesB),
    );
    return change ? [change] : [];
  });
}

/** Items of both sides matched by id, in the first side's order, then the second's new ones. */
function matched<T extends { id: string }>(a: readonly T[], b: readonly T[]) {
  const byIdB = new Map(b.map((item) => [item.id, item]));
  const idsA = new Set(a.map((item) => item.id));
  return [
    ...a.map((item) => ({ id: item.id, a: item as T | undefined, b: byIdB.get(item.id) })),
    ...b
      .filter((item) => !idsA.has(item.id))
      .map((item) => ({ id: item.id, a: undefined, b: item })),
  ];
}

interface Scope {
  scope: ChangeScope;
  /** Prefix of subjects: `G_A.` for a network's layers. */
  prefix: string;
}

function nodeChanges(
  nodesA: BodyDocument['nodes'],
  nodesB: BodyDocument['nodes'],
  at: Scope,
  variablesA: Variables,
  variablesB: Variables,
): GraphChange[] {
  const out: GraphChange[] = [];
  const push = (subject: string, change: string) =>
    out.push({ scope: at.scope, subject: at.prefix + subject, change });
  for (const { id, a, b } of matched(nodesA, nodesB)) {
    if (!a) push(id, `added (${b!.kind})`);
    else if (!b) push(id, `removed (${a.kind})`);
    else if (a.kind !== b.kind) push(id, `kind ${a.kind} → ${b.kind}`);
    else {
      const schema = findNodeKind(a.kind)?.params;
      for (const c of paramChanges(a.params, b.params, schema, variablesA, variablesB)) push(id, c);
    }
  }
  return out;
}

const wireText = (e: EdgeDocument) => `${e.source}.${e.sourcePort} → ${e.target}.${e.targetPort}`;
const wireKey = (e: EdgeDocument) => `${e.source}.${e.sourcePort}->${e.target}.${e.targetPort}`;

/**
 * Wires added and removed; one removed and one added into the same input is a wire moved:
 * `wire into cycle_A.input: rec_A.out → fake_B.out`.
 */
function wireChanges(
  edgesA: readonly EdgeDocument[],
  edgesB: readonly EdgeDocument[],
  prefix: string,
): GraphChange[] {
  const keysA = new Set(edgesA.map(wireKey));
  const keysB = new Set(edgesB.map(wireKey));
  const removed = edgesA.filter((e) => !keysB.has(wireKey(e)));
  const added = edgesB.filter((e) => !keysA.has(wireKey(e)));
  const input = (e: EdgeDocument) => `${e.target}.${e.targetPort}`;
  const count = (list: EdgeDocument[], port: string) =>
    list.filter((e) => input(e) === port).length;
  const out: GraphChange[] = [];
  const moved = new Set<EdgeDocument>();
  for (const e of removed) {
    const port = input(e);
    const into = added.find((x) => input(x) === port);
    if (into && count(removed, port) === 1 && count(added, port) === 1) {
      moved.add(e).add(into);
      out.push({
        scope: 'wire',
        subject: `wire into ${prefix}${port}`,
        change: `${e.source}.${e.sourcePort} → ${into.source}.${into.sourcePort}`,
      });
    }
  }
  for (const e of removed) {
    if (!moved.has(e))
      out.push({ scope: 'wire', subject: `${prefix}wire`, change: `removed ${wireText(e)}` });
  }
  for (const e of added) {
    if (!moved.has(e))
      out.push({ scope: 'wire', subject: `${prefix}wire`, change: `added ${wireText(e)}` });
  }
  return out;
}

function networkChanges(
  a: NetworkDocument | undefined,
  b: NetworkDocument | undefined,
  variablesA: Variables,
  variablesB: Variables,
): GraphChange[] {
  const subject = (a ?? b)!.id;
  const at = (change: string): GraphChange => ({ scope: 'network', subject, change });
  const built = (n: NetworkDocument) => (n.preset ? `preset ${n.preset.name}` : 'its own layers');
  if (!a) return [at(`added (${b!.role}, ${built(b!)})`)];
  if (!b) return [at(`removed (${a.role}, ${built(a)})`)];
  const out: GraphChange[] = [];
  if (a.role !== b.role) out.push(at(`role ${a.role} → ${b.role}`));
  if (a.preset && b.preset) {
    if (a.preset.name !== b.preset.name) {
      out.push(at(`preset ${a.preset.name} → ${b.preset.name}`));
      return out;
    }
    const name = a.preset.name;
    const schema = isPresetName(name) ? PRESETS[name].params : undefined;
    for (const c of paramChanges(
      a.preset.params,
      b.preset.params,
      schema,
      variablesA,
      variablesB,
    )) {
      out.push(at(c));
    }
  } else if (a.body && b.body) {
    const prefix = `${subject}.`;
    out.push(
      ...nodeChanges(
        a.body.nodes,
        b.body.nodes,
        { scope: 'network', prefix },
        variablesA,
        variablesB,
      ),
      ...wireChanges(a.body.edges, b.body.edges, prefix),
    );
  } else {
    out.push(at(`${built(a)} → ${built(b)}`));
  }
  return out;
}

/**
 * Every difference between two graphs that changes training, in the order a reader takes them:
 * variables, networks, nodes, wires. Empty when the two train the same.
 */
export function diffGraphs(a: DiffSide, b: DiffSide): GraphChange[] {
  const variablesA = variablesOf(a);
  const variablesB = variablesOf(b);
  const changes: GraphChange[] = [];
  for (const name of new Set([...Object.keys(variablesA), ...Object.keys(variablesB)])) {
    const [va, vb] = [variablesA[name], variablesB[name]];
    if (same(va, vb)) continue;
    const change =
      va === undefined
        ? `added (${formatValue(vb)})`
        : vb === undefined
          ? `removed (was ${formatValue(va)})`
          : `${formatValue(va)} → ${formatValue(vb)}`;
    changes.push({ scope: 'variable', subject: name, change });
  }
  for (const { a: na, b: nb } of matched(a.document.networks, b.document.networks)) {
    changes.push(...networkChanges(na, nb, variablesA, variablesB));
  }
  changes.push(
    ...nodeChanges(
      a.document.nodes,
      b.document.nodes,
      { scope: 'node', prefix: '' },
      variablesA,
      variablesB,
    ),
    ...wireChanges(a.document.edges, b.document.edges, ''),
  );
  return changes;
}
