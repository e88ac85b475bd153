/**
 * Adding a node kind is one file and its test: every kind in the registry has a test file
 * beside the file that declares it, and that test file runs the generic node kind checks on it.
 */
import { describe, expect, it } from 'vitest';
import { migrationIdPrefix } from '../graph/migrations';
import { NODE_KINDS } from './index';

const modules = import.meta.glob<Record<string, unknown>>(
  ['./*.ts', '!./*.test.ts', '!./index.ts', '!./nodeKindHarness.ts'],
  { eager: true },
);
const testSources = import.meta.glob<string>('./*.test.ts', {
  query: '?raw',
  import: 'default',
  eager: true,
});

/** The file that declares a kind and the name it is exported under. */
function declarationOf(kind: (typeof NODE_KINDS)[number]) {
  for (const [file, exports] of Object.entries(modules)) {
    const name = Object.keys(exports).find((key) => exports[key] === kind);
    if (name) return { file, name };
  }
  return undefined;
}

describe('the node kind registry', () => {
  it.each(NODE_KINDS.map((k) => [k.kind, k] as const))(
    '%s has a test file of its own that runs the generic checks on it',
    (_name, kind) => {
      const declared = declarationOf(kind);
      expect(declared, `${kind.kind} is declared in a file of src/nodes`).toBeDefined();
      const testFile = declared!.file.replace(/\.ts$/, '.test.ts');
      const source = testSources[testFile];
      expect(source, `${testFile} exists`).toBeDefined();
      expect(source, `${testFile} calls testNodeKind(${declared!.name}, ...)`).toMatch(
        new RegExp(`testNodeKind\\(\\s*${declared!.name}\\b`),
      );
    },
  );

  it("each kind's params migration ids say their kind and the version they lead to, once", () => {
    const ids = NODE_KINDS.flatMap((kind) =>
      (kind.migrations ?? []).map((m, i) => {
        expect(m.id.startsWith(migrationIdPrefix(kind.kind, i + 1)), m.id).toBe(true);
        return m.id;
      }),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });
});
