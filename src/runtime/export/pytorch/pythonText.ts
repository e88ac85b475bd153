/** What the generated Python is written with: names, literals, and the exporter's refusal. */
export { layerShapes } from '../graphModel';

/** A graph the exporter cannot express faithfully: where (node or layer) and why. */
export class ExportRefusal extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
  }
}

const KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try while ' +
    'with yield self torch nn F math'
  ).split(' '),
);

/** A Python identifier for a Ganvas id (`model.1` -> `model_1`). */
export function pythonName(id: string): string {
  let name = id.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^\d/.test(name)) name = `_${name}`;
  return KEYWORDS.has(name) ? `${name}_` : name;
}

/** Distinct Python names for [key, wanted name] pairs, in order; `taken` are names in use. */
export function uniqueNames(
  wanted: readonly (readonly [string, string])[],
  taken: readonly string[] = [],
): Map<string, string> {
  const used = new Set(taken);
  const out = new Map<string, string>();
  for (const [key, name] of wanted) {
    if (out.has(key)) continue;
    let candidate = name;
    for (let i = 2; used.has(candidate); i++) candidate = `${name}_${i}`;
    used.add(candidate);
    out.set(key, candidate);
  }
  return out;
}

/** A JSON-like value written as a Python literal. */
export function pythonLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write ${value} as a Python literal`);
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${JSON.stringify(k)}: ${pythonLiteral(v)}`,
  );
  return `{${entries.join(', ')}}`;
}
