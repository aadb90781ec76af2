import type { Matrix } from './matrix.js';

/** A complex eigenvalue. */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

const EPS = 2.220446049250313e-16;

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

/** The spectral norm ‖M‖₂: the largest singular value. */
export function spectralNorm(m: Matrix): number {
  return singularValues(m)[0];
}

/**
 * All eigenvalues of a real square matrix: balancing, reduction to Hessenberg form by
 * elimination, then the shifted QR algorithm with Francis double steps (EISPACK hqr, as
 * in Numerical Recipes §11.6). mathjs's eigs fails to converge on random 100×100 matrices.
 */
export function eigenvalues(m: Matrix): Complex[] {
  const n = m.rows;
  if (n !== m.cols) throw new RangeError(`eigenvalues: matrix must be square, got ${m.rows}x${m.cols}`);
  const a: Float64Array[] = [];
  for (let i = 0; i < n; i++) a.push(Float64Array.from(m.data.subarray(i * n, (i + 1) * n)));
  balance(a);
  hessenberg(a);
  return hqr(a);
}

/** The spectral radius max |λ|. */
export function spectralRadius(m: Matrix): number {
  return Math.max(...eigenvalues(m).map((z) => Math.hypot(z.re, z.im)));
}

function balance(a: Float64Array[]): void {
  const n = a.length;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 0; i < n; i++) {
      let r = 0, c = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(a[j][i]);
        r += Math.abs(a[i][j]);
      }
      if (c === 0 || r === 0) continue;
      let g = r / 2, f = 1;
      const s = c + r;
      while (c < g) { f *= 2; c *= 4; }
      g = r * 2;
      while (c > g) { f /= 2; c /= 4; }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        for (let j = 0; j < n; j++) a[i][j] /= f;
        for (let j = 0; j < n; j++) a[j][i] *= f;
      }
    }
  }
}

function hessenberg(a: Float64Array[]): void {
  const n = a.length;
  for (let m = 1; m < n - 1; m++) {
    let x = 0, i = m;
    for (let j = m; j < n; j++) if (Math.abs(a[j][m - 1]) > Math.abs(x)) { x = a[j][m - 1]; i = j; }
    if (i !== m) {
      for (let j = m - 1; j < n; j++) [a[i][j], a[m][j]] = [a[m][j], a[i][j]];
      for (let j = 0; j < n; j++) [a[j][i], a[j][m]] = [a[j][m], a[j][i]];
    }
    if (x === 0) continue;
    for (let k = m + 1; k < n; k++) {
      let y = a[k][m - 1];
      if (y === 0) continue;
      y /= x;
      a[k][m - 1] = y;
      for (let j = m; j < n; j++) a[k][j] -= y * a[m][j];
      for (let j = 0; j < n; j++) a[j][m] += y * a[j][k];
    }
  }
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) a[i][j] = 0;
}

function hqr(a: Float64Array[]): Complex[] {
  const n = a.length;
  const wr = new Float64Array(n), wi = new Float64Array(n);
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(a[i][j]);
  let nn = n - 1, t = 0;
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (nn >= 0) {
    let its = 0, l = 0;
    do {
      for (l = nn; l > 0; l--) {
        s = Math.abs(a[l - 1][l - 1]) + Math.abs(a[l][l]);
        if (s === 0) s = anorm;
        if (Math.abs(a[l][l - 1]) <= EPS * s) { a[l][l - 1] = 0; break; }
      }
      x = a[nn][nn];
      if (l === nn) {
        wr[nn] = x + t; wi[nn] = 0; nn--;
      } else {
        y = a[nn - 1][nn - 1];
        w = a[nn][nn - 1] * a[nn - 1][nn];
        if (l === nn - 1) {
          p = 0.5 * (y - x); q = p * p + w; z = Math.sqrt(Math.abs(q)); x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? Math.abs(z) : -Math.abs(z));
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = -z; wi[nn] = z;
          }
          nn -= 2;
        } else {
          if (its === 60) throw new RangeError('eigenvalues: QR iteration did not converge in 60 iterations');
          if (its === 10 || its === 20 || its === 40) {
            t += x;
            for (let i = 0; i <= nn; i++) a[i][i] -= x;
            s = Math.abs(a[nn][nn - 1]) + Math.abs(a[nn - 1][nn - 2]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          its++;
          let m = nn - 2;
          for (; m >= l; m--) {
            z = a[m][m]; r = x - z; s = y - z;
            p = (r * s - w) / a[m + 1][m] + a[m][m + 1];
            q = a[m + 1][m + 1] - z - r - s;
            r = a[m + 2][m + 1];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s; q /= s; r /= s;
            if (m === l) break;
            const u = Math.abs(a[m][m - 1]) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(a[m - 1][m - 1]) + Math.abs(z) + Math.abs(a[m + 1][m + 1]));
            if (u <= EPS * v) break;
          }
          for (let i = m; i < nn - 1; i++) {
            a[i + 2][i] = 0;
            if (i !== m) a[i + 2][i - 1] = 0;
          }
          for (let k = m; k < nn; k++) {
            if (k !== m) {
              p = a[k][k - 1]; q = a[k + 1][k - 1]; r = 0;
              if (k + 1 !== nn) r = a[k + 2][k - 1];
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) { p /= x; q /= x; r /= x; }
            }
            const root = Math.sqrt(p * p + q * q + r * r);
            s = p >= 0 ? root : -root;
            if (s !== 0) {
              if (k === m) { if (l !== m) a[k][k - 1] = -a[k][k - 1]; } else a[k][k - 1] = -s * x;
              p += s; x = p / s; y = q / s; z = r / s; q /= p; r /= p;
              for (let j = k; j <= nn; j++) {
                p = a[k][j] + q * a[k + 1][j];
                if (k + 1 !== nn) { p += r * a[k + 2][j]; a[k + 2][j] -= p * z; }
                a[k + 1][j] -= p * y; a[k][j] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = x * a[i][k] + y * a[i][k + 1];
                if (k + 1 !== nn) { p += z * a[i][k + 2]; a[i][k + 2] -= p * r; }
                a[i][k + 1] -= p * q; a[i][k] -= p;
              }
            }
          }
        }
      }
    } while (l + 1 < nn);
  }
  return Array.from(wr, (re, i) => ({ re, im: wi[i] }));
}

/**
 * ‖M‖₂ by power iteration on MᵀM, stopped when successive estimates agree to `tolerance`
 * (relative) or after `maxIterations`. Much cheaper than a full SVD for one norm per step.
 */
export function spectralNormByPowerIteration(m: Matrix, tolerance = 1e-9, maxIterations = 1000): number {
  let v = new Float64Array(m.cols).map((_, i) => 1 + ((i * 7919) % 13) / 13); // fixed, generic start
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
  let q = new Float64Array(n).map((_, i) => 1 + ((i * 7919) % 13) / 13);
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
