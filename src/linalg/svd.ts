// Singular values of a dense matrix; lanczos.ts estimates the largest one more cheaply.
import { SingularValueDecomposition } from 'ml-matrix';
import type { Matrix } from './matrix.js';
import { toMlMatrix, unitScale } from './ml.js';

/**
 * Singular values, largest first: ml-matrix's SVD (Golub–Kahan–Reinsch, as in JAMA), without the
 * singular vectors. Backward stable: each σ is within a few n·ε·σ_max of the exact one (Weyl), so a
 * singular value far below σ_max has absolute, not relative, accuracy. The input is divided by a
 * power of two near its largest entry and entries below 2⁻⁹⁰⁰ of it are read as 0 (ml.ts): without
 * that, ml-matrix's iteration never returns on some matrices with all-tiny or subnormal entries.
 * Replaces a one-sided Jacobi SVD (issue 26): same values to 2e-14·σ_max at H ≤ 128, 4× faster at
 * H = 100–128 on random matrices, 3× slower (but under 11 ms) on orthogonal ones (tools/bench/linalg.ts).
 * Throws on a non-finite entry.
 */
export function singularValues(m: Matrix): number[] {
  if (m.rows === 0 || m.cols === 0) return [];
  const scale = unitScale(m);
  const svd = new SingularValueDecomposition(toMlMatrix(m, 'singularValues', scale), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  });
  return svd.diagonal.map((s) => s * scale);
}
