import fc from 'fast-check';
import type { MatrixDomain, MatrixSubject } from '../types.js';

/**
 * Descriptions of square matrices (size, scale, seed) of a claim's matrix domain; the claim
 * builds the matrix from them deterministically, so a counterexample reads as three numbers.
 * Sizes are integers in the domain's inclusive range, scales multiples of 0.01 in its range,
 * seeds in [1, 10000]; shrinks toward the smallest size, the lowest scale and seed 1.
 */
export function matrixSubject(domain: MatrixDomain): fc.Arbitrary<MatrixSubject> {
  const [lo, hi] = domain.scale.map((v) => Math.round(v * 100));
  return fc.record({
    size: fc.integer({ min: domain.size[0], max: domain.size[1] }),
    scale: fc.integer({ min: lo, max: hi }).map((k) => k / 100),
    seed: fc.integer({ min: 1, max: 10_000 }),
  });
}
