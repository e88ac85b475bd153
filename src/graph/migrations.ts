/**
 * Documents carry a schema version; a document written by an older Ganvas is brought up to the
 * current version by a chain of migrations. Each migration has an id that never changes once
 * released, and moves a document from one version to the next.
 */
import type { Problem } from './problems';

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
