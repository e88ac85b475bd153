import { describe, expect, it } from 'vitest';
import {
  featureStatistics,
  frechetDistance,
  symmetricEigen,
  type FeatureStatistics,
} from './frechetDistance';

function gaussian(mean: number[], covariance: number[][]): FeatureStatistics {
  return {
    mean: Float64Array.from(mean),
    covariance: Float64Array.from(covariance.flat()),
    dimension: mean.length,
    count: 100,
  };
}

describe('frechetDistance', () => {
  it('of diagonal Gaussians is the closed form |μ1 - μ2|² + Σ (a + b - 2√(ab))', () => {
    const x = gaussian(
      [0, 1, 2],
      [
        [4, 0, 0],
        [0, 1, 0],
        [0, 0, 9],
      ],
    );
    const y = gaussian(
      [1, 1, 0],
      [
        [1, 0, 0],
        [0, 4, 0],
        [0, 0, 9],
      ],
    );
    // 1 + 4 = 5 from the means; (4 + 1 - 4) + (1 + 4 - 4) + 0 = 2 from the covariances
    expect(frechetDistance(x, y)).toBeCloseTo(7, 9);
  });

  it('of a Gaussian and itself is 0, whatever its correlations', () => {
    const x = gaussian(
      [3, -2],
      [
        [2, 1.5],
        [1.5, 2],
      ],
    );
    expect(frechetDistance(x, x)).toBeCloseTo(0, 9);
  });

  it('of two Gaussians with the same covariance is the squared distance of their means', () => {
    const c = [
      [2, 0.7, 0.1],
      [0.7, 1, 0.3],
      [0.1, 0.3, 0.5],
    ];
    expect(frechetDistance(gaussian([0, 0, 0], c), gaussian([1, 2, 2], c))).toBeCloseTo(9, 8);
  });
});

describe('symmetricEigen', () => {
  it('finds the eigenvalues 1 and 3 of [[2, 1], [1, 2]]', () => {
    const { values } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
    expect([...values].sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
  });
});

describe('featureStatistics', () => {
  it("gives numpy's mean and unbiased covariance", () => {
    // numpy: np.cov([[1, 2, 3], [2, 4, 7]]) = [[1, 2.5], [2.5, 6.333...]]
    const s = featureStatistics(Float32Array.from([1, 2, 2, 4, 3, 7]), 2);
    expect([...s.mean]).toEqual([2, expect.closeTo(13 / 3, 12)]);
    expect([...s.covariance]).toEqual([
      expect.closeTo(1, 12),
      expect.closeTo(2.5, 12),
      expect.closeTo(2.5, 12),
      expect.closeTo(19 / 3, 12),
    ]);
  });

  it('refuses fewer than two vectors', () => {
    expect(() => featureStatistics(new Float32Array(3), 3)).toThrow(/at least 2 vectors of 3/);
  });
});
