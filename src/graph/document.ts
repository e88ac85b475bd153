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
import { VARIABLE_NAME, VARIABLE_NAME_RULE } from './expression';
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
import { problemsFromZodError } from './zodProblems';

export const FORMAT = 'ganvas-graph';

/**
 * What an id looks like, for nodes, layers and networks alike: edges, taps and JSON paths quote
 * ids, so they hold no spaces.
 */
export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
export const ID_RULE =
  'an id starts with a letter or "_" and holds letters, digits, "_", "." or "-"';

/** Any text made into an id: what an id cannot hold becomes "_", and "_" goes before a digit. */
export function idFrom(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '_').replace(/^(?![A-Za-z_])/, '_');
}

const Id = z.string().regex(ID_PATTERN, ID_RULE);

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
export const VariableName = z.string().regex(VARIABLE_NAME, VARIABLE_NAME_RULE);

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
        code: 'duplicate-id',
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

/**
 * The most a document may hold, as JSON text (characters): far above any real graph (a
 * 10,000-layer body is about 2 MiB), low enough that reading one never exhausts the page.
 */
export const DOCUMENT_SIZE_LIMIT = 8 * 1024 * 1024;
/** The deepest a document's JSON may nest: a real one nests about 8 deep. */
export const DOCUMENT_DEPTH_LIMIT = 64;

const MIB = 1024 * 1024;

function limitProblem(path: string, message: string): Problem[] {
  return [{ path, code: 'limit', message }];
}

/**
 * Problems when a value nests deeper than DOCUMENT_DEPTH_LIMIT or would be larger than
 * DOCUMENT_SIZE_LIMIT as JSON text. Walked depth first with a stack of its own (one frame per
 * level, so its memory is bounded by the depth), so that no nesting overflows the call stack; a
 * value that refers to itself runs into the depth limit, and one that shares parts is counted
 * once per use, as its JSON text would be.
 */
function valueLimitProblems(value: unknown): Problem[] {
  interface Frame {
    key: string | number;
    entries: Iterator<[string | number, unknown]>;
  }
  const frames: Frame[] = [];
  const pathHere = () => frames.slice(1).map((f) => f.key);
  let size = 0;
  const enter = (v: unknown, key: string | number): Problem[] => {
    if (v === null || typeof v !== 'object') {
      size += typeof v === 'string' ? v.length + 2 : 8;
      return [];
    }
    if (frames.length >= DOCUMENT_DEPTH_LIMIT) {
      return limitProblem(
        formatPath([...frames.slice(1).map((f) => f.key), key]),
        `nested more than ${DOCUMENT_DEPTH_LIMIT} deep: refused`,
      );
    }
    size += 2;
    const entries: Iterator<[string | number, unknown]> = Array.isArray(v)
      ? v.entries()
      : Object.entries(v)[Symbol.iterator]();
    frames.push({ key, entries });
    return [];
  };
  let problems = enter(value, '$');
  while (problems.length === 0 && frames.length > 0) {
    const next = frames[frames.length - 1]!.entries.next();
    if (next.done) {
      frames.pop();
      continue;
    }
    const [key, item] = next.value;
    size += typeof key === 'string' ? key.length + 4 : 1;
    problems = enter(item, key);
    if (problems.length === 0 && size > DOCUMENT_SIZE_LIMIT) {
      problems = limitProblem(
        formatPath(pathHere()),
        `larger than ${DOCUMENT_SIZE_LIMIT / MIB} MiB as JSON: refused`,
      );
    }
  }
  return problems;
}

/**
 * JSON text parsed, or a value already parsed as it is; bad JSON is a problem at `$`. Either is
 * refused past DOCUMENT_SIZE_LIMIT or DOCUMENT_DEPTH_LIMIT, with the place where it went past.
 */
export function jsonValue(
  input: unknown,
): { ok: true; value: unknown } | { ok: false; problems: Problem[] } {
  if (typeof input === 'string' && input.length > DOCUMENT_SIZE_LIMIT) {
    return {
      ok: false,
      problems: limitProblem(
        '$',
        `${(input.length / MIB).toFixed(1)} MiB of text, more than a document may hold (${DOCUMENT_SIZE_LIMIT / MIB} MiB): refused`,
      ),
    };
  }
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (e) {
      return {
        ok: false,
        problems: [
          { path: '$', code: 'not-json', message: `not valid JSON: ${(e as Error).message}` },
        ],
      };
    }
  }
  const problems = valueLimitProblems(value);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

/**
 * An object with none of a graph's marks (its format name, its nodes) is some other JSON file:
 * said so first, with what is missing after it, rather than as a missing schema version.
 */
function notAGraph(value: unknown): Problem[] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if ('format' in value || 'nodes' in value) return undefined;
  const keys = Object.keys(value);
  const held = keys.length > 0 ? `it holds ${keys.map((k) => `"${k}"`).join(', ')}` : 'it is empty';
  return [
    {
      path: '$',
      code: 'not-a-graph',
      message: `not a Ganvas graph: a graph has "format": "${FORMAT}", a version, nodes and edges; ${held}`,
    },
    ...problemsFromZodError(GraphDocument.safeParse(value).error!, value, 'schema'),
  ];
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
  const stranger = notAGraph(json.value);
  if (stranger) return { ok: false, problems: stranger };
  const migrated = migrateDocument(json.value, migrations);
  if (!migrated.ok) return { ok: false, problems: migrated.problems };
  const current = migrateKindParams(migrated.value, kinds);
  if (!current.ok) return { ok: false, problems: current.problems };
  const parsed = GraphDocument.safeParse(current.value);
  if (!parsed.success) {
    return { ok: false, problems: problemsFromZodError(parsed.error, current.value, 'schema') };
  }
  const doc = parsed.data;
  const problems = idProblems(doc);
  if (problems.length > 0) return { ok: false, problems };
  return migrated.from === undefined
    ? { ok: true, document: doc }
    : { ok: true, document: doc, migratedFrom: migrated.from };
}

/**
 * The document as written to a file or a checkpoint: with the version of the params of each kind
 * it holds, for kinds that have migrations, so that a later Ganvas brings them up to date.
 */
export function documentAsWritten(
  doc: GraphDocument,
  kinds: readonly MigratingKind[] = NODE_KINDS,
): GraphDocument {
  const versions = kindVersions(doc, kinds);
  if (!versions && !doc.kinds) return doc;
  const { format, version, kinds: _written, ...rest } = doc;
  return versions ? { format, version, kinds: versions, ...rest } : { format, version, ...rest };
}

/** The document as JSON text, in a stable form (parse, serialize, parse gives the same). */
export function serializeDocument(
  doc: GraphDocument,
  kinds: readonly MigratingKind[] = NODE_KINDS,
): string {
  return JSON.stringify(documentAsWritten(doc, kinds), null, 2) + '\n';
}
