/**
 * The graph document: what the editor edits, what templates are, what people share. It holds
 * the editor's concerns too (positions, labels, colours); the training program holds none.
 *
 * A document has a format name and a schema version; older versions are migrated on parse.
 * Params are stored as written (literals or "=expression" strings over the graph variables):
 * they are checked against each node kind's schema when the graph is resolved.
 */
import { z } from 'zod';
import { NODE_KINDS } from '../nodes';
import {
  kindVersions,
  migrateDocument,
  migrateKindParams,
  CURRENT_VERSION,
  type MigratingKind,
  type Migration,
  MIGRATIONS,
} from './migrations';
import { formatPath, type Problem } from './problems';

export const FORMAT = 'ganvas-graph';

const idPattern = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const Id = z
  .string()
  .regex(idPattern, 'an id starts with a letter or "_" and holds letters, digits, "_", "." or "-"');

const Position = z.object({ x: z.number(), y: z.number() }).strict();

const Params = z.record(z.string(), z.unknown());

export const NodeDocument = z
  .object({
    id: Id,
    kind: z.string().min(1),
    label: z.string().optional(),
    position: Position.optional(),
    params: Params.optional(),
  })
  .strict();

export const EdgeDocument = z
  .object({
    source: Id,
    sourcePort: z.string().min(1),
    target: Id,
    targetPort: z.string().min(1),
  })
  .strict();

export const BodyDocument = z
  .object({ nodes: z.array(NodeDocument), edges: z.array(EdgeDocument) })
  .strict();

export const PresetDocument = z
  .object({ name: z.string().min(1), params: Params.optional() })
  .strict();

export const NetworkDocument = z
  .object({
    id: Id,
    role: z.enum(['generator', 'discriminator']),
    label: z.string().optional(),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written #rrggbb')
      .optional(),
    /** A network is either built from a preset (and follows the graph variables) ... */
    preset: PresetDocument.optional(),
    /** ... or made of explicit layers, edited one by one. */
    body: BodyDocument.optional(),
  })
  .strict()
  .refine((n) => (n.preset === undefined) !== (n.body === undefined), {
    message: 'a network has either a "preset" or a "body", not both and not neither',
  });

/** A graph variable's name: what an "=expression" reads. */
export const VariableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);

const VariableValue = z.union([z.number(), z.string(), z.boolean()]);

export const VariableDocument = z
  .object({
    value: VariableValue,
    description: z.string().optional(),
    options: z.array(z.string()).optional(),
  })
  .strict();

export const GraphDocument = z
  .object({
    format: z.literal(FORMAT),
    version: z.literal(CURRENT_VERSION),
    /**
     * The version of each node kind's params the document was written with, for kinds whose
     * params have migrations; a kind not named here is at version 0.
     */
    kinds: z.record(z.string(), z.number().int().nonnegative()).optional(),
    /**
     * Which document this is, across saves, reloads and renames: what its training runs and
     * kept checkpoints belong to. Given when a document without one is opened.
     */
    id: z.string().min(1).max(100).optional(),
    name: z.string(),
    description: z.string().optional(),
    variables: z.record(VariableName, VariableDocument),
    networks: z.array(NetworkDocument),
    nodes: z.array(NodeDocument),
    edges: z.array(EdgeDocument),
  })
  .strict();

export type GraphDocument = z.infer<typeof GraphDocument>;

/** The document with an id: its own, or a new one (a template, a document from before ids). */
export function withDocumentId(doc: GraphDocument): GraphDocument & { id: string } {
  if (doc.id) return doc as GraphDocument & { id: string };
  const { format, version, ...rest } = doc;
  return { format, version, id: newDocumentId(), ...rest };
}

function newDocumentId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `doc-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
export type NodeDocument = z.infer<typeof NodeDocument>;
export type EdgeDocument = z.infer<typeof EdgeDocument>;
export type NetworkDocument = z.infer<typeof NetworkDocument>;
export type BodyDocument = z.infer<typeof BodyDocument>;
export type VariableDocument = z.infer<typeof VariableDocument>;

export type ParseResult =
  { ok: true; document: GraphDocument; migratedFrom?: number } | { ok: false; problems: Problem[] };

/** A received value, short enough for a one-line message. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

/**
 * zod's messages, made to read as "what was expected, what was received". `input` is the value
 * that was parsed, so that the received value can be quoted.
 */
export function describeIssue(issue: z.core.$ZodIssue, input?: unknown): string {
  const value = valueAt(input, issue.path);
  const received = describeValue(value);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, received ${received}`;
    case 'invalid_type':
      return value === undefined
        ? `missing: expected ${withArticle(issue.expected)}`
        : `expected ${withArticle(issue.expected)}, received ${received}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const relation =
        issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      return issue.origin === 'number'
        ? `expected a number ${relation} ${String(bound)}, received ${received}`
        : `${issue.message}, received ${received}`;
    }
    case 'custom':
      return issue.message;
    default:
      return `${issue.message}, received ${received}`;
  }
}

function zodProblems(
  error: z.ZodError,
  prefix: (string | number)[] = [],
  input?: unknown,
): Problem[] {
  return error.issues.map((issue) => ({
    path: formatPath([
      ...prefix,
      ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    ]),
    message: describeIssue(issue, input),
  }));
}

/** Duplicate ids within one scope, reported at the second occurrence. */
function duplicateIds(
  items: readonly { id: string }[],
  where: (string | number)[],
  what: string,
): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined) {
      problems.push({
        path: formatPath([...where, i, 'id']),
        message: `duplicate ${what} id "${item.id}" (also ${formatPath([...where, first])})`,
      });
    } else {
      seen.set(item.id, i);
    }
  });
  return problems;
}

/** Ids used twice among the networks, the nodes, or the layers of one network's body. */
export function idProblems(content: {
  networks: readonly NetworkDocument[];
  nodes: readonly NodeDocument[];
}): Problem[] {
  return [
    ...duplicateIds(content.networks, ['networks'], 'network'),
    ...duplicateIds(content.nodes, ['nodes'], 'node'),
    ...content.networks.flatMap((n, i) =>
      n.body ? duplicateIds(n.body.nodes, ['networks', i, 'body', 'nodes'], 'layer') : [],
    ),
  ];
}

/** JSON text parsed, or a value already parsed as it is; bad JSON is a problem at `$`. */
export function jsonValue(
  input: unknown,
): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  if (typeof input !== 'string') return { ok: true, value: input };
  try {
    return { ok: true, value: JSON.parse(input) as unknown };
  } catch (e) {
    return {
      ok: false,
      problems: [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }],
    };
  }
}

/**
 * Parses a document: JSON text or a value already parsed. Never throws: every problem comes back
 * with its place. Structural checks only; params, ports and shapes are checked by
 * resolveGraph and inferShapes.
 */
export function parseDocument(
  input: unknown,
  migrations: readonly Migration[] = MIGRATIONS,
  kinds: readonly MigratingKind[] = NODE_KINDS,
): ParseResult {
  const json = jsonValue(input);
  if (!json.ok) return json;
  const migrated = migrateDocument(json.value, migrations);
  if (!migrated.ok) return { ok: false, problems: migrated.problems };
  const current = migrateKindParams(migrated.value, kinds);
  if (!current.ok) return { ok: false, problems: current.problems };
  const parsed = GraphDocument.safeParse(current.value);
  if (!parsed.success) {
    return { ok: false, problems: zodProblems(parsed.error, [], current.value) };
  }
  const doc = parsed.data;
  const problems = idProblems(doc);
  if (problems.length > 0) return { ok: false, problems };
  return migrated.from === undefined
    ? { ok: true, document: doc }
    : { ok: true, document: doc, migratedFrom: migrated.from };
}

/**
 * The document as JSON text, in a stable form (parse, serialize, parse gives the same), with the
 * version of the params of each kind it holds, for kinds that have migrations.
 */
export function serializeDocument(
  doc: GraphDocument,
  kinds: readonly MigratingKind[] = NODE_KINDS,
): string {
  const versions = kindVersions(doc, kinds);
  if (!versions && !doc.kinds) return JSON.stringify(doc, null, 2) + '\n';
  const { format, version, kinds: _written, ...rest } = doc;
  const written = versions
    ? { format, version, kinds: versions, ...rest }
    : { format, version, ...rest };
  return JSON.stringify(written, null, 2) + '\n';
}

export { zodProblems };
