import { inverse } from '../linalg/inverse.js';
import { type Matrix, matMul, zeros } from '../linalg/matrix.js';
import { Rng } from '../models/rng.js';
import type { MatrixSubject } from '../engine/types.js';

/** n×n with N(0, scale²/n) entries: spectral norm near 2·scale for large n (Marchenko–Pastur edge). */
export function gaussianMatrix({ size, scale, seed }: MatrixSubject, stream = 'gaussian'): Matrix {
  const rng = new Rng(seed, stream);
  const m = zeros(size, size);
  for (let i = 0; i < m.data.length; i++) m.data[i] = (rng.normal() * scale) / Math.sqrt(size);
  return m;
}

/** The k-th of a sequence of independent gaussian matrices of one subject. */
export function gaussianFactor(subject: MatrixSubject, k: number): Matrix {
  return gaussianMatrix(subject, `factor-${k}`);
}

/** V·diag(λ)·V⁻¹ with V = I + 0.3·G/√n (well conditioned) and real eigenvalues λ_i ∈ ±[0.1·scale, scale] drawn from the seed. */
export function diagonalizable({ size, scale, seed }: MatrixSubject): { matrix: Matrix; eigenvectors: Matrix; eigenvalues: number[] } {
  const rng = new Rng(seed, 'eigen');
  const eigenvalues = Array.from({ length: size }, () => (rng.next() < 0.5 ? -1 : 1) * rng.uniform(0.1 * scale, scale));
  const v = zeros(size, size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) v.data[i * size + j] = (i === j ? 1 : 0) + (0.3 * rng.normal()) / Math.sqrt(size);
  const vl = zeros(size, size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) vl.data[i * size + j] = v.data[i * size + j] * eigenvalues[j];
  return { matrix: matMul(vl, inverse(v)), eigenvectors: v, eigenvalues };
}

/** A seeded N(0, 1) vector. */
export function gaussianVector(n: number, seed: number, stream = 'vector'): Float64Array {
  const rng = new Rng(seed, stream);
  return Float64Array.from({ length: n }, () => rng.normal());
}
