/**
 * Counts the work a synchronous call does in arrays: every element an array method may visit
 * (its length, for map, filter, find, includes, slice, shift and the rest) and every element an
 * iteration yields (for-of, spread, Map and Set built from arrays). Scans inside scans show as a
 * count that grows with the square of the input, whatever the machine's speed, so a test can pin
 * that a pass is linear without timing it.
 */
const METHODS = [
  'concat',
  'copyWithin',
  'every',
  'fill',
  'filter',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flat',
  'flatMap',
  'forEach',
  'includes',
  'indexOf',
  'join',
  'lastIndexOf',
  'map',
  'reduce',
  'reduceRight',
  'reverse',
  'shift',
  'slice',
  'some',
  'sort',
  'splice',
  'toReversed',
  'toSorted',
  'toSpliced',
  'unshift',
  'with',
] as const;

type Method = (this: unknown[], ...args: unknown[]) => unknown;

export function arrayWork<T>(run: () => T): { result: T; visits: number } {
  const prototype = Array.prototype as unknown as Record<string | symbol, Method>;
  const originals = new Map<string | symbol, Method>();
  let visits = 0;
  for (const name of [...METHODS, Symbol.iterator]) originals.set(name, prototype[name]!);
  for (const name of METHODS) {
    const original = originals.get(name)!;
    prototype[name] = function (this: unknown[], ...args: unknown[]) {
      visits += this.length;
      return original.apply(this, args);
    };
  }
  prototype[Symbol.iterator] = function* (this: unknown[]) {
    for (let i = 0; i < this.length; i++) {
      visits++;
      yield this[i];
    }
  } as Method;
  try {
    return { result: run(), visits };
  } finally {
    for (const [name, original] of originals) prototype[name] = original;
  }
}

/**
 * How much the work per unit grows from `size` to four times it: about 1 for a linear pass,
 * about 4 for one that scans inside a scan. `prepare` builds the input outside the count and
 * returns the call to count.
 */
export function workGrowth(size: number, prepare: (size: number) => () => unknown): number {
  const [small, large] = [size, size * 4].map((n) => {
    const call = prepare(n);
    return arrayWork(call).visits / n;
  });
  return large! / small!;
}
