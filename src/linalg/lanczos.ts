// The spectral norm ‖M‖₂ by iteration on MᵀM, for when one norm per step is needed and a
// full SVD (svd.ts) costs too much. Both methods start from the same fixed vector, so every
// run gives the same numbers.
import { eigenvalues } from './eigen.js';
import type { Matrix } from './matrix.js';

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
    const mv = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let s = 0;
      for (let j = 0; j < m.cols; j++) s += m.data[i * m.cols + j] * v[j];
      mv[i] = s;
    }
    const w = new Float64Array(m.cols);
    for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) w[j] += m.data[i * m.cols + j] * mv[i];
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
    const mv = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += m.data[i * n + c] * q[c];
      mv[i] = s;
    }
    const w = new Float64Array(n);
    for (let i = 0; i < m.rows; i++) for (let c = 0; c < n; c++) w[c] += m.data[i * n + c] * mv[i];
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) {
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
  const size = alpha.length;
  const t = { rows: size, cols: size, data: new Float64Array(size * size) };
  for (let i = 0; i < size; i++) {
    t.data[i * size + i] = alpha[i];
    if (i + 1 < size) t.data[i * size + i + 1] = t.data[(i + 1) * size + i] = beta[i];
  }
  const top = Math.max(...eigenvalues(t).map((z) => z.re));
  return Math.sqrt(Math.max(top, 0));
}
