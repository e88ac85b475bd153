/**
 * A small seeded PRNG (mulberry32) whose whole state is one uint32, so that a checkpoint can
 * save it as a plain number and training continues with exactly the same draws (image pool
 * choices, data order) after a restore. Math.random cannot be seeded or saved, hence this.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller, consumes two uniforms). */
  normal(): number;
  /** Uniform integer in [0, n); n must be a positive integer. */
  int(n: number): number;
  /** The whole generator state: `restoreRandom(r.state())` (or `createRandom`) continues exactly. */
  state(): number;
}

const UINT32_RANGE = 4294967296;

/**
 * A generator seeded with `seed` (any finite number, taken as a uint32: truncated, negatives
 * wrapped). The seed is used as the state itself, so `createRandom(r.state())` continues `r`.
 */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) {
    throw new Error(`createRandom: seed expected a finite number, received ${seed}`);
  }
  return generatorFrom(Math.trunc(seed) >>> 0);
}

/** A generator continuing from a value returned by `Random.state()`. */
export function restoreRandom(state: number): Random {
  if (!Number.isInteger(state) || state < 0 || state >= UINT32_RANGE) {
    throw new Error(
      `restoreRandom: state expected an integer in [0, 2^32) as returned by state(), received ${state}`,
    );
  }
  return generatorFrom(state);
}

function generatorFrom(initial: number): Random {
  let a = initial | 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / UINT32_RANGE;
  };
  return {
    next,
    normal() {
      // 1 - next() lies in (0, 1], keeping the logarithm finite.
      const u1 = 1 - next();
      const u2 = next();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    int(n: number) {
      if (!Number.isInteger(n) || n <= 0) {
        throw new Error(`Random.int: n expected a positive integer, received ${n}`);
      }
      return Math.floor(next() * n);
    },
    state() {
      return a >>> 0;
    },
  };
}

/**
 * A well-mixed uint32 from a few integers (each taken as a uint32), for deriving independent
 * seeds such as "scene 7 of dataset seed 3" or "window (2, 5) of building 1" without
 * neighbouring inputs giving correlated streams.
 */
export function hashInts(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const value of values) {
    h = Math.imul(h ^ (value >>> 0), 0x01000193);
    h = fmix32(h);
  }
  return h >>> 0;
}

/** MurmurHash3's finalizer: every input bit affects every output bit. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}
