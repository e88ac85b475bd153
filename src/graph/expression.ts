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
const LEADING_NAME = new RegExp(`^${NAME}`);

/** A graph variable's name: a name an expression can read ("." or "-" would be operators). */
export const VARIABLE_NAME = new RegExp(`^${NAME}$`);
export const VARIABLE_NAME_RULE =
  'a variable name starts with a letter or "_" and holds letters, digits and "_"';

export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('=');
}

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  min: Math.min,
  max: Math.max,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  pow: Math.pow,
};

type Token =
  | { type: 'number'; value: number }
  | { type: 'name'; value: string }
  | { type: 'op'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[0-9.]/.test(c)) {
      const match = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(source.slice(i))!;
      tokens.push({ type: 'number', value: Number(match[0]) });
      i += match[0].length;
    } else if (LEADING_NAME.test(c)) {
      const match = LEADING_NAME.exec(source.slice(i))!;
      tokens.push({ type: 'name', value: match[0] });
      i += match[0].length;
    } else if ('+-*/%(),'.includes(c)) {
      tokens.push({ type: 'op', value: c });
      i++;
    } else {
      throw new ExpressionError(`unexpected character "${c}" in "${source}"`);
    }
  }
  return tokens;
}

/** Evaluates an expression (without its leading "=") against the variables. */
export function evaluateExpression(source: string, variables: Variables): VariableValue {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const expectOp = (op: string) => {
    const t = tokens[pos];
    if (t?.type !== 'op' || t.value !== op) {
      throw new ExpressionError(`expected "${op}" in "${source}"`);
    }
    pos++;
  };
  const asNumber = (v: VariableValue, what: string): number => {
    if (typeof v !== 'number') {
      throw new ExpressionError(`${what} is ${JSON.stringify(v)}, not a number, in "${source}"`);
    }
    return v;
  };

  function primary(): VariableValue {
    const t = tokens[pos++];
    if (!t) throw new ExpressionError(`unexpected end of "${source}"`);
    if (t.type === 'number') return t.value;
    if (t.type === 'op' && t.value === '(') {
      const v = additive();
      expectOp(')');
      return v;
    }
    if (t.type === 'op' && t.value === '-') return -asNumber(primary(), 'the operand of "-"');
    if (t.type === 'name') {
      const next = peek();
      if (next?.type === 'op' && next.value === '(') {
        const fn = FUNCTIONS[t.value];
        if (!fn) throw new ExpressionError(`unknown function "${t.value}" in "${source}"`);
        pos++;
        const args: number[] = [asNumber(additive(), `an argument of ${t.value}`)];
        while (peek()?.type === 'op' && peek()!.value === ',') {
          pos++;
          args.push(asNumber(additive(), `an argument of ${t.value}`));
        }
        expectOp(')');
        return fn(...args);
      }
      if (t.value === 'true') return true;
      if (t.value === 'false') return false;
      if (!Object.hasOwn(variables, t.value)) {
        throw new ExpressionError(`unknown variable "${t.value}"`);
      }
      return variables[t.value]!;
    }
    throw new ExpressionError(`unexpected "${t.value}" in "${source}"`);
  }

  function multiplicative(): VariableValue {
    let left = primary();
    for (let t = peek(); t?.type === 'op' && '*/%'.includes(t.value); t = peek()) {
      pos++;
      const a = asNumber(left, 'the left operand');
      const b = asNumber(primary(), 'the right operand');
      left = t.value === '*' ? a * b : t.value === '/' ? a / b : a % b;
    }
    return left;
  }

  function additive(): VariableValue {
    let left = multiplicative();
    for (let t = peek(); t?.type === 'op' && '+-'.includes(t.value); t = peek()) {
      pos++;
      const a = asNumber(left, 'the left operand');
      const b = asNumber(multiplicative(), 'the right operand');
      left = t.value === '+' ? a + b : a - b;
    }
    return left;
  }

  const value = additive();
  if (pos < tokens.length) {
    throw new ExpressionError(`unexpected "${String(tokens[pos]!.value)}" in "${source}"`);
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

/**
 * Replaces every expression inside a params object by its value. Errors are collected with the
 * key path where they occurred, never thrown.
 */
export function resolveParams(
  params: Readonly<Record<string, unknown>>,
  variables: Variables,
): { value: Record<string, unknown>; errors: { path: string[]; message: string }[] } {
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
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, String(i)]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])] as const),
      );
    }
    return value;
  };
  return { value: walk(params, []) as Record<string, unknown>, errors };
}
