// Singular values of a dense matrix; lanczos.ts estimates the largest one more cheaply.
import type { Matrix } from './matrix.js';

/**
 * Singular values, largest first, by one-sided Jacobi (Hestenes 1958): columns are
 * rotated pairwise until mutually orthogonal to `tolerance` (relative), and the singular
 * values are their norms. Accurate to a few ulps of the largest, unlike eig(AᵀA).
 */
export function singularValues(m: Matrix, tolerance = 1e-13, maxSweeps = 60): number[] {
  // Work on the side with fewer columns.
  const tall = m.rows >= m.cols;
  const rows = tall ? m.rows : m.cols;
  const cols = tall ? m.cols : m.rows;
  const a: Float64Array[] = [];
  for (let j = 0; j < cols; j++) {
    const col = new Float64Array(rows);
    for (let i = 0; i < rows; i++) col[i] = tall ? m.data[i * m.cols + j] : m.data[j * m.cols + i];
    a.push(col);
  }
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        const x = a[p], y = a[q];
        let alpha = 0, beta = 0, gamma = 0;
        for (let k = 0; k < rows; k++) {
          alpha += x[k] * x[k];
          beta += y[k] * y[k];
          gamma += x[k] * y[k];
        }
        if (gamma === 0 || Math.abs(gamma) <= tolerance * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let k = 0; k < rows; k++) {
          const xk = x[k];
          x[k] = c * xk - s * y[k];
          y[k] = s * xk + c * y[k];
        }
      }
    }
    if (!rotated) break;
  }
  return a.map((col) => Math.hypot(...col)).sort((u, v) => v - u);
}
