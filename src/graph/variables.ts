/**
 * The graph variables' values, with what the command line (--set) or a link overrides: text is
 * read as the type of the variable it sets, and what does not fit is a problem at the variable.
 */
import type { GraphDocument } from './document';
import type { VariableValue } from './expression';
import type { Problem } from './problems';

/** Text from the command line or a link, read as the type of the variable it sets. */
export function coerceVariable(current: VariableValue, text: string): VariableValue | undefined {
  if (typeof current === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (typeof current === 'boolean') {
    return text === 'true' ? true : text === 'false' ? false : undefined;
  }
  return text;
}

/** The variables' values with the overrides applied; one that does not fit is left out. */
export function resolveVariables(
  doc: GraphDocument,
  overrides: Readonly<Record<string, VariableValue | string>>,
  problems: Problem[],
): Record<string, VariableValue> {
  // No prototype: a variable may be called "__proto__" or "constructor" like any other.
  const values = Object.create(null) as Record<string, VariableValue>;
  for (const [name, v] of Object.entries(doc.variables)) values[name] = v.value;
  for (const [name, raw] of Object.entries(overrides)) {
    const declared = doc.variables[name];
    if (!declared) {
      problems.push({
        path: `variables.${name}`,
        code: 'variable',
        message: `unknown variable "${name}"; this graph has ${Object.keys(doc.variables).join(', ') || 'none'}`,
      });
      continue;
    }
    const value =
      typeof raw === 'string' && typeof declared.value !== 'string'
        ? coerceVariable(declared.value, raw)
        : raw;
    if (value === undefined || typeof value !== typeof declared.value) {
      problems.push({
        path: `variables.${name}`,
        code: 'variable',
        message: `expected a ${typeof declared.value}, received ${JSON.stringify(raw)}`,
      });
      continue;
    }
    values[name] = value;
  }
  for (const [name, v] of Object.entries(doc.variables)) {
    const value = values[name];
    if (v.options && typeof value === 'string' && !v.options.includes(value)) {
      problems.push({
        path: `variables.${name}`,
        code: 'variable',
        message: `expected one of ${v.options.map((o) => JSON.stringify(o)).join(', ')}, received ${JSON.stringify(value)}`,
      });
    }
  }
  return values;
}
