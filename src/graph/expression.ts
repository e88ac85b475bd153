/**
 * Param values may refer to graph variables, so that a template's image size or width is set
 * in one place: a string starting with "=" is an expression over variables, e.g. "=ngf*4",
 * "=lambda_B*lambda_identity", "=norm". Everything else is a literal.
 *
 * The language is deliberately tiny (numbers, variables, + - * / %, parentheses, min, max,
 * floor, ceil, round, pow): enough for widths and weights, nothing that can run code.
 */

export type VariableValue = number | string | boolean;
export type Variables = Readonly<Record<string, VariableValue>>;

export class ExpressionError extends Error {}

/** How a name is written in an expression: a variable, a function, true or false. */
const NAME = '[A-Za-z_][A-Za-z0-9_]*';

/** A graph variable's name: a name an expression can read ("." or "-" would be operators). */
export const VARIABLE_NAME = new RegExp(`^${NAME}$`);
export const VARIABLE_NAME_RULE =
  'a variable name starts with a letter or "_" and holds letters, digits and "_"';

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

/**
 * The functions an expression may call. A map without a prototype: `toString` or `constructor`
 * name no function here, so an expression reaches nothing but these.
 */
type NumberFunction = (args: readonly number[]) => number;
const FUNCTIONS: Readonly<Record<string, NumberFunction>> = Object.assign(
  Object.create(null) as Record<string, NumberFunction>,
  {
    // Folded, not spread: a call of many thousand arguments would exhaust the stack.
    min: (args) => args.reduce((a, b) => Math.min(a, b)),
    max: (args) => args.reduce((a, b) => Math.max(a, b)),
    floor: ([x]) => Math.floor(x!),
    ceil: ([x]) => Math.ceil(x!),
    round: ([x]) => Math.round(x!),
    pow: ([x, y]) => Math.pow(x!, y!),
  } satisfies Record<string, NumberFunction>,
);

/**
 * How deep parentheses, signs and calls may nest, and params inside params: far beyond any
 * width or weight, and far short of the stack a deeper one would exhaust.
 */
export const MAX_NESTING = 64;

/** The expression as a message quotes it: a long one is cut, so that messages stay readable. */
function quoted(source: string): string {
  return JSON.stringify(source.length > 80 ? `${source.slice(0, 77)}...` : source);
}

type Token =
  | { type: 'number'; value: number }
  | { type: 'name'; value: string }
  | { type: 'op'; value: string };

const SPACE = /\s+/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/y;
const NAME_TOKEN = new RegExp(NAME, 'y');

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // Sticky patterns read at i, so a long expression is read once, not copied at each token.
  const read = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = i;
    const match = pattern.exec(source)?.[0];
    if (match !== undefined) i += match.length;
    return match;
  };
  while (i < source.length) {
    if (read(SPACE) !== undefined) continue;
    const number = read(NUMBER);
    if (number !== undefined) {
      tokens.push({ type: 'number', value: Number(number) });
      continue;
    }
    const name = read(NAME_TOKEN);
    if (name !== undefined) {
      tokens.push({ type: 'name', value: name });
      continue;
    }
    const c = source[i]!;
    if (!'+-*/%(),'.includes(c)) {
      throw new ExpressionError(`unexpected character "${c}" in ${quoted(source)}`);
    }
    tokens.push({ type: 'op', value: c });
    i++;
  }
  return tokens;
}

/** Evaluates an expression (without its leading "=") against the variables. */
export function evaluateExpression(source: string, variables: Variables): VariableValue {
  const tokens = tokenize(source);
  const where = quoted(source);
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const isOp = (t: Token | undefined, ops: string): t is Token & { type: 'op' } =>
    t?.type === 'op' && ops.includes(t.value);
  const expectOp = (op: string) => {
    if (!isOp(tokens[pos], op)) throw new ExpressionError(`expected "${op}" in ${where}`);
    pos++;
  };
  const asNumber = (v: VariableValue, what: string): number => {
    if (typeof v !== 'number') {
      throw new ExpressionError(`${what} is ${JSON.stringify(v)}, not a number, in ${where}`);
    }
    return v;
  };
  /** Parses what `inner` reads one level deeper: each nesting costs stack, so it is bounded. */
  const nested = <T>(inner: () => T): T => {
    if (++depth > MAX_NESTING) {
      throw new ExpressionError(`nested deeper than ${MAX_NESTING} levels in ${where}`);
    }
    const value = inner();
    depth--;
    return value;
  };

  function primary(): VariableValue {
    const t = tokens[pos++];
    if (!t) throw new ExpressionError(`unexpected end of ${where}`);
    if (t.type === 'number') return t.value;
    if (t.type === 'op') {
      if (t.value === '(') {
        const v = nested(additive);
        expectOp(')');
        return v;
      }
      if (t.value === '-') return -asNumber(nested(primary), 'the operand of "-"');
      throw new ExpressionError(`unexpected "${t.value}" in ${where}`);
    }
    if (isOp(peek(), '(')) return call(t.value);
    if (t.value === 'true') return true;
    if (t.value === 'false') return false;
    if (!Object.hasOwn(variables, t.value)) {
      throw new ExpressionError(`unknown variable "${t.value}"`);
    }
    return variables[t.value]!;
  }

  function call(name: string): number {
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) throw new ExpressionError(`unknown function "${name}" in ${where}`);
    pos++;
    const args: number[] = [];
    do {
      if (args.length > 0) pos++;
      args.push(asNumber(nested(additive), `an argument of ${name}`));
    } while (isOp(peek(), ','));
    expectOp(')');
    return fn(args);
  }

  function multiplicative(): VariableValue {
    let left = primary();
    for (let t = peek(); isOp(t, '*/%'); t = peek()) {
      pos++;
      const a = asNumber(left, 'the left operand');
      const b = asNumber(primary(), 'the right operand');
      left = t.value === '*' ? a * b : t.value === '/' ? a / b : a % b;
    }
    return left;
  }

  function additive(): VariableValue {
    let left = multiplicative();
    for (let t = peek(); isOp(t, '+-'); t = peek()) {
      pos++;
      const a = asNumber(left, 'the left operand');
      const b = asNumber(multiplicative(), 'the right operand');
      left = t.value === '+' ? a + b : a - b;
    }
    return left;
  }

  const value = additive();
  if (pos < tokens.length) {
    throw new ExpressionError(`unexpected "${String(tokens[pos]!.value)}" in ${where}`);
  }
  return value;
}

/** Names of the variables an expression reads, for "unused variable" hints and the editor. */
export function expressionVariables(value: string): string[] {
  if (!isExpression(value)) return [];
  return tokenize(value.slice(1))
    .filter((t, i, all) => t.type === 'name' && all[i + 1]?.value !== '(')
    .map((t) => String(t.value))
    .filter((name) => name !== 'true' && name !== 'false');
}

/** A value with nothing inside to resolve: it is kept as written. */
function isPlain(value: unknown): boolean {
  return (value === null || typeof value !== 'object') && !isExpression(value);
}

/**
 * Replaces every expression inside a params object by its value. Errors are collected with the
 * key path where they occurred, never thrown; a value nested deeper than MAX_NESTING is one, at
 * the level where it goes too deep. The value shares what needed no evaluating with `params`
 * (all of it, when no expression is written): it is read, never changed.
 */
export function resolveParams(
  params: Readonly<Record<string, unknown>>,
  variables: Variables,
): { value: Readonly<Record<string, unknown>>; errors: { path: string[]; message: string }[] } {
  const errors: { path: string[]; message: string }[] = [];
  const walk = (value: unknown, path: string[]): unknown => {
    if (isExpression(value)) {
      try {
        return evaluateExpression(value.slice(1), variables);
      } catch (e) {
        errors.push({ path, message: e instanceof Error ? e.message : String(e) });
        return value;
      }
    }
    if (value === null || typeof value !== 'object') return value;
    if (path.length >= MAX_NESTING) {
      errors.push({ path, message: `nested deeper than ${MAX_NESTING} levels` });
      return value;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, String(i)]));
    // Most params are plain numbers and words: such an object is its own value, not copied (the
    // schemas that read it next make their own).
    if (Object.values(value).every(isPlain)) return value;
    // Entries, not assignment: a param named "__proto__" stays a param (and an unknown one).
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isPlain(v) ? v : walk(v, [...path, k])]),
    );
  };
  return { value: walk(params, []) as Record<string, unknown>, errors };
}
