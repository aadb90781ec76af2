import { type Matrix, zeros } from './matrix.js';

/**
 * M⁻¹ by Gauss–Jordan elimination with partial pivoting. Meant for small, well-conditioned
 * matrices (the eigenvector bases the claims build); it does not check the condition number,
 * and a singular matrix gives non-finite entries.
 */
export function inverse(m: Matrix): Matrix {
  const n = m.rows;
  if (n !== m.cols) throw new RangeError(`inverse: matrix must be square, got ${m.rows}x${m.cols}`);
  const a = Array.from({ length: n }, (_, i) => [...Array.from(m.data.subarray(i * n, (i + 1) * n)), ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  const out = zeros(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = a[i][n + j];
  return out;
}
