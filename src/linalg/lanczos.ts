// The spectral norm ‖M‖₂ by iteration on MᵀM, for when one norm per step is needed and a
// full SVD (svd.ts) costs too much. Both methods start from the same fixed vector, so every
// run gives the same numbers.
import { type Matrix, matVec, vecMat } from './matrix.js';

/** A fixed start vector with no zero entry and no simple pattern, so it is unlikely to be orthogonal to the top singular vector. */
const startVector = (n: number): Float64Array => new Float64Array(n).map((_, i) => 1 + ((i * 7919) % 13) / 13);

/**
 * ‖M‖₂ by power iteration on MᵀM, stopped when successive estimates agree to `tolerance`
 * (relative) or after `maxIterations`. Much cheaper than a full SVD for one norm per step.
 */
export function spectralNormByPowerIteration(m: Matrix, tolerance = 1e-9, maxIterations = 1000): number {
  let v = startVector(m.cols);
  let estimate = 0;
  for (let it = 0; it < maxIterations; it++) {
    const w = vecMat(matVec(m, v), m);
    const len = Math.hypot(...w);
    if (len === 0) return 0;
    const next = Math.sqrt(len / Math.hypot(...v));
    v = w.map((x) => x / len);
    if (Math.abs(next - estimate) <= tolerance * next) return next;
    estimate = next;
  }
  return estimate;
}

/**
 * ‖M‖₂ by Lanczos on MᵀM with full reorthogonalisation: the largest Ritz value after
 * k = min(cols, steps) steps (exact when k = cols). Extreme eigenvalues converge in far
 * fewer steps than power iteration needs when the top singular values are close, as they
 * are for random recurrent matrices. The Ritz value never exceeds the true norm.
 */
export function spectralNormByLanczos(m: Matrix, steps = 40): number {
  const n = m.cols;
  const k = Math.min(n, steps);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = startVector(n);
  let qn = Math.hypot(...q);
  q = q.map((x) => x / qn);
  for (let j = 0; j < k; j++) {
    basis.push(q);
    const w = vecMat(matVec(m, q), m);
    for (let pass = 0; pass < 2; pass++) {
      for (let bi = 0; bi < basis.length; bi++) {
        const b = basis[bi];
        let d = 0;
        for (let c = 0; c < n; c++) d += w[c] * b[c];
        if (pass === 0 && b === q) alpha.push(d);
        for (let c = 0; c < n; c++) w[c] -= d * b[c];
      }
    }
    qn = Math.hypot(...w);
    if (j === k - 1 || qn < 1e-14 * Math.sqrt(Math.abs(alpha[0]) + 1e-300)) break;
    beta.push(qn);
    q = w.map((x) => x / qn);
  }
  const top = largestTridiagonalEigenvalue(alpha, beta.slice(0, alpha.length - 1));
  return Math.sqrt(Math.max(top, 0));
}

/**
 * The largest eigenvalue of the symmetric tridiagonal matrix with diagonal `a` and off-diagonal
 * `b` (b.length = a.length − 1), by bisection on Sturm counts: the number of eigenvalues below x
 * is the number of negative pivots of T − xI. Starts from Gershgorin's bounds and halves the
 * interval until it stops shrinking in float64, so the result is as exact as float64 allows,
 * at O(n) per step (Golub & Van Loan, §8.4.1).
 */
export function largestTridiagonalEigenvalue(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  if (n === 0) throw new RangeError('largestTridiagonalEigenvalue: empty matrix');
  if (b.length !== n - 1) throw new RangeError(`largestTridiagonalEigenvalue: ${n} diagonal entries need ${n - 1} off-diagonal ones, got ${b.length}`);
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const r = (i > 0 ? Math.abs(b[i - 1]) : 0) + (i < n - 1 ? Math.abs(b[i]) : 0);
    lo = Math.min(lo, a[i] - r);
    hi = Math.max(hi, a[i] + r);
  }
  // Eigenvalues strictly below x: negative pivots of the LDLᵀ factorisation of T − xI.
  const below = (x: number): number => {
    let count = 0,
      d = 1;
    for (let i = 0; i < n; i++) {
      d = a[i] - x - (i > 0 ? (b[i - 1] * b[i - 1]) / d : 0);
      if (d === 0) d = -Number.EPSILON * (Math.abs(x) + 1);
      if (d < 0) count++;
    }
    return count;
  };
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (mid <= lo || mid >= hi) break;
    if (below(mid) >= n) hi = mid;
    else lo = mid;
  }
  return hi;
}
