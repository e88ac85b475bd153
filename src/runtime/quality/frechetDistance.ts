/**
 * The Fréchet distance between two Gaussians fitted to feature vectors, as FID defines it:
 * ‖μ₁ - μ₂‖² + tr(Σ₁ + Σ₂ - 2(Σ₁Σ₂)^½). Plain arrays: the features are few (tens), so the matrix
 * square root is an eigendecomposition on the host, not a backend's work.
 */

export interface FeatureStatistics {
  mean: Float64Array;
  /** Row-major, dimension × dimension; unbiased (n - 1), as numpy's cov. */
  covariance: Float64Array;
  dimension: number;
  count: number;
}

/** Mean and covariance of `count` feature vectors of `dimension` values each, row after row. */
export function featureStatistics(features: Float32Array, dimension: number): FeatureStatistics {
  const count = features.length / dimension;
  if (!Number.isInteger(count) || count < 2) {
    throw new Error(
      `featureStatistics: expected at least 2 vectors of ${dimension} values, received ${features.length} values`,
    );
  }
  const mean = new Float64Array(dimension);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dimension; d++) mean[d]! += features[i * dimension + d]! / count;
  }
  const covariance = new Float64Array(dimension * dimension);
  const centred = new Float64Array(dimension);
  for (let i = 0; i < count; i++) {
    for (let d = 0; d < dimension; d++) centred[d] = features[i * dimension + d]! - mean[d]!;
    for (let a = 0; a < dimension; a++) {
      for (let b = a; b < dimension; b++)
        covariance[a * dimension + b]! += centred[a]! * centred[b]!;
    }
  }
  for (let a = 0; a < dimension; a++) {
    for (let b = a; b < dimension; b++) {
      const v = covariance[a * dimension + b]! / (count - 1);
      covariance[a * dimension + b] = v;
      covariance[b * dimension + a] = v;
    }
  }
  return { mean, covariance, dimension, count };
}

/**
 * Eigenvalues and eigenvectors (columns of `vectors`, row-major) of a symmetric matrix, by
 * cyclic Jacobi rotations: simple and accurate for the small matrices here.
 */
export function symmetricEigen(
  matrix: Float64Array,
  n: number,
): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  return { values, vectors: v };
}

function multiply(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j]! += aik * b[k * n + j]!;
    }
  }
  return out;
}

/** The symmetric square root of a positive semi-definite matrix (negative rounding clipped). */
function symmetricSqrt(matrix: Float64Array, n: number): Float64Array {
  const { values, vectors } = symmetricEigen(matrix, n);
  const out = new Float64Array(n * n);
  for (let e = 0; e < n; e++) {
    const root = Math.sqrt(Math.max(0, values[e]!));
    if (root === 0) continue;
    for (let i = 0; i < n; i++) {
      const vi = vectors[i * n + e]! * root;
      for (let j = 0; j < n; j++) out[i * n + j]! += vi * vectors[j * n + e]!;
    }
  }
  return out;
}

export function frechetDistance(x: FeatureStatistics, y: FeatureStatistics): number {
  const n = x.dimension;
  if (y.dimension !== n) {
    throw new Error(`frechetDistance: ${n} features against ${y.dimension}`);
  }
  let meanTerm = 0;
  for (let d = 0; d < n; d++) meanTerm += (x.mean[d]! - y.mean[d]!) ** 2;
  // tr((Σx Σy)^½) = tr((Σx^½ Σy Σx^½)^½), whose argument is symmetric: no complex roots.
  const rootX = symmetricSqrt(x.covariance, n);
  const inner = multiply(multiply(rootX, y.covariance, n), rootX, n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const mean = (inner[i * n + j]! + inner[j * n + i]!) / 2;
      inner[i * n + j] = inner[j * n + i] = mean;
    }
  }
  const { values } = symmetricEigen(inner, n);
  let traceRoot = 0;
  for (const v of values) traceRoot += Math.sqrt(Math.max(0, v));
  let traces = 0;
  for (let d = 0; d < n; d++) traces += x.covariance[d * n + d]! + y.covariance[d * n + d]!;
  return Math.max(0, meanTerm + traces - 2 * traceRoot);
}
