/**
 * Documents carry a schema version; a document written by an older Ganvas is brought up to the
 * current version by a chain of migrations. Each migration has an id that never changes once
 * released, and moves a document from one version to the next.
 */
import type { ParamsMigration } from '../nodes/kind';
import { formatPath, type Problem } from './problems';

export const CURRENT_VERSION = 1;

export interface Migration {
  /** Stable, never renamed: `2027-01-edge-handles`. */
  id: string;
  from: number;
  up(doc: Record<string, unknown>): Record<string, unknown>;
}

/** The released migrations, oldest first. Version 1 is the first released format. */
export const MIGRATIONS: readonly Migration[] = [];

export type MigrationResult =
  { ok: true; value: unknown; from?: number } | { ok: false; problems: Problem[] };

export function migrateDocument(
  value: unknown,
  migrations: readonly Migration[],
  target = CURRENT_VERSION,
): MigrationResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {
      ok: false,
      problems: [{ path: '$', code: 'not-a-graph', message: 'a graph document is a JSON object' }],
    };
  }
  const doc = value as Record<string, unknown>;
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return {
      ok: false,
      problems: [
        {
          path: 'version',
          code: 'version',
          message: `expected a schema version (a positive integer), received ${JSON.stringify(version)}`,
        },
      ],
    };
  }
  if (version > target) {
    return {
      ok: false,
      problems: [
        {
          path: 'version',
          code: 'version',
          message: `this document has schema version ${version}, written by a newer Ganvas; this one reads up to version ${target}`,
        },
      ],
    };
  }
  let current: Record<string, unknown> = doc;
  for (let v = version; v < target; v++) {
    const step = migrations.find((m) => m.from === v);
    if (!step) {
      return {
        ok: false,
        problems: [
          { path: 'version', code: 'version', message: `no migration from schema version ${v}` },
        ],
      };
    }
    try {
      current = { ...step.up(current), version: v + 1 };
    } catch (e) {
      return {
        ok: false,
        problems: [
          {
            path: '$',
            code: 'version',
            message: `migration ${step.id} failed: ${(e as Error).message}`,
          },
        ],
      };
    }
  }
  return version === target
    ? { ok: true, value: current }
    : { ok: true, value: current, from: version };
}

/** What migrating params needs to know of a node kind. */
export interface MigratingKind {
  kind: string;
  migrations?: readonly ParamsMigration[];
}

/** The version of a kind's params that this Ganvas writes: one per migration, from 0. */
export const paramsVersion = (kind: MigratingKind | undefined) => kind?.migrations?.length ?? 0;

/** A migration's id starts so: ids say where they stand, so that a step cannot move. */
export const migrationIdPrefix = (kind: string, version: number) => `${kind}/${version}-`;

/** The kinds of a document's nodes: the training graph's and every network body's. */
function kindsUsed(doc: Record<string, unknown>): Set<unknown> {
  const bodies = Array.isArray(doc.networks)
    ? doc.networks.map((n: unknown) => (isRecord(n) && isRecord(n.body) ? n.body.nodes : []))
    : [];
  return new Set(
    [doc.nodes, ...bodies].flatMap((nodes: unknown) =>
      Array.isArray(nodes) ? nodes.map((n: unknown) => (isRecord(n) ? n.kind : undefined)) : [],
    ),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The params versions to record for a document's nodes: kinds past version 0, by name. */
export function kindVersions(
  doc: Record<string, unknown>,
  kinds: readonly MigratingKind[],
): Record<string, number> | undefined {
  const used = kindsUsed(doc);
  const versions = kinds
    .filter((k) => used.has(k.kind) && paramsVersion(k) > 0)
    .map((k) => [k.kind, paramsVersion(k)] as const);
  return versions.length > 0 ? Object.fromEntries(versions) : undefined;
}

/**
 * Brings every node's params up to its kind's current version, reading the versions the
 * document was written with from its `kinds` map (a kind not named there is at version 0), and
 * records the current ones. A document written with a newer version of a kind is refused.
 * Anything malformed is left for the document schema to report.
 */
export function migrateKindParams(
  value: unknown,
  kinds: readonly MigratingKind[],
): MigrationResult {
  const written = isRecord(value) ? (value.kinds ?? {}) : undefined;
  if (
    !isRecord(value) ||
    !isRecord(written) ||
    !Object.values(written).every((v) => Number.isInteger(v) && (v as number) >= 0)
  ) {
    return { ok: true, value };
  }
  const byName = new Map(kinds.map((k) => [k.kind, k]));
  const versionOf = (name: string) =>
    Object.hasOwn(written, name) ? (written[name] as number) : 0;
  const newer: Problem[] = Object.keys(written)
    .filter((name) => versionOf(name) > paramsVersion(byName.get(name)))
    .map((name) => ({
      path: formatPath(['kinds', name]),
      code: 'version',
      message: `this document has ${name} params of version ${versionOf(name)}, written by a newer Ganvas; this one reads ${name} params up to version ${paramsVersion(byName.get(name))}`,
    }));
  if (newer.length > 0) return { ok: false, problems: newer };

  const problems: Problem[] = [];
  const migrateNode = (node: unknown, path: (string | number)[]): unknown => {
    if (!isRecord(node) || typeof node.kind !== 'string') return node;
    const steps = byName.get(node.kind)?.migrations?.slice(versionOf(node.kind)) ?? [];
    const params = node.params ?? {};
    if (steps.length === 0 || !isRecord(params)) return node;
    let current = params;
    for (const step of steps) {
      try {
        current = step.up(current);
      } catch (e) {
        problems.push({
          path: formatPath([...path, 'params']),
          code: 'version',
          message: `migration ${step.id} failed: ${(e as Error).message}`,
        });
        return node;
      }
    }
    return { ...node, params: current };
  };
  const migrateNodes = (nodes: unknown, path: (string | number)[]) =>
    Array.isArray(nodes) ? nodes.map((node: unknown, i) => migrateNode(node, [...path, i])) : nodes;
  const migrated: Record<string, unknown> = {
    ...value,
    nodes: migrateNodes(value.nodes, ['nodes']),
    networks: Array.isArray(value.networks)
      ? value.networks.map((network: unknown, i) =>
          isRecord(network) && isRecord(network.body)
            ? {
                ...network,
                body: {
                  ...network.body,
                  nodes: migrateNodes(network.body.nodes, ['networks', i, 'body', 'nodes']),
                },
              }
            : network,
        )
      : value.networks,
  };
  if (problems.length > 0) return { ok: false, problems };
  // A parsed document is current for every kind, also for nodes an edit adds later: parsing it
  // again (compileGraph does) must not migrate anything twice. Files get the kinds they hold.
  const versions = Object.fromEntries(
    kinds.filter((k) => paramsVersion(k) > 0).map((k) => [k.kind, paramsVersion(k)]),
  );
  if (Object.keys(versions).length > 0) migrated.kinds = versions;
  else delete migrated.kinds;
  return { ok: true, value: migrated };
}
