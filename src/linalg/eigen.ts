// Eigenvalues of real square matrices (EISPACK's balance, elmhes and hqr), for spectra.
// Hand-written on purpose, where svd.ts and inverse.ts use ml-matrix (issue 26): ml-matrix
// 6.15.1's EigenvalueDecomposition (JAMA's orthes and hqr2) has no iteration cap and never
// returns on [[0, 0, −1], [0, 0, 1], [1, −1, 0]] (specs/engine/linalg.test.ts), nor, unless the
// input is rescaled, on matrices with all entries near 1e300; it does not balance; and it always computes eigenvectors,
// which made it 3.4× slower at H = 100–128 (23 ms against 7 ms at H = 100, tools/bench/linalg.ts).
// Where it returns it agrees with this code to 1.3e-14·σ_max at H ≤ 128.
import type { Matrix } from './matrix.js';

/** A complex eigenvalue. */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

const EPS = 2.220446049250313e-16;

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

/** Scales rows and columns by powers of 2 until their norms match (Parlett & Reinsch), so rounding stays proportional to the matrix's norm. */
function balance(a: Float64Array[]): void {
  const n = a.length;
  let done = false;
  while (!done) {
    done = true;
    for (let i = 0; i < n; i++) {
      let r = 0,
        c = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(a[j][i]);
        r += Math.abs(a[i][j]);
      }
      if (c === 0 || r === 0) continue;
      let g = r / 2,
        f = 1;
      const s = c + r;
      while (c < g) {
        f *= 2;
        c *= 4;
      }
      g = r * 2;
      while (c > g) {
        f /= 2;
        c /= 4;
      }
      if ((c + r) / f < 0.95 * s) {
        done = false;
        for (let j = 0; j < n; j++) a[i][j] /= f;
        for (let j = 0; j < n; j++) a[j][i] *= f;
      }
    }
  }
}

/** Reduces to upper Hessenberg form in place, by Gaussian elimination with pivoting (EISPACK elmhes). */
function hessenberg(a: Float64Array[]): void {
  const n = a.length;
  for (let m = 1; m < n - 1; m++) {
    let x = 0,
      i = m;
    for (let j = m; j < n; j++)
      if (Math.abs(a[j][m - 1]) > Math.abs(x)) {
        x = a[j][m - 1];
        i = j;
      }
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

/** Eigenvalues of an upper Hessenberg matrix by the shifted QR algorithm with Francis double steps (EISPACK hqr). */
function hqr(a: Float64Array[]): Complex[] {
  const n = a.length;
  const wr = new Float64Array(n),
    wi = new Float64Array(n);
  let anorm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(a[i][j]);
  let nn = n - 1,
    t = 0;
  let p = 0,
    q = 0,
    r = 0,
    s = 0,
    w = 0,
    x = 0,
    y = 0,
    z = 0;
  while (nn >= 0) {
    let its = 0,
      l = 0;
    do {
      for (l = nn; l > 0; l--) {
        s = Math.abs(a[l - 1][l - 1]) + Math.abs(a[l][l]);
        if (s === 0) s = anorm;
        if (Math.abs(a[l][l - 1]) <= EPS * s) {
          a[l][l - 1] = 0;
          break;
        }
      }
      x = a[nn][nn];
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn] = 0;
        nn--;
      } else {
        y = a[nn - 1][nn - 1];
        w = a[nn][nn - 1] * a[nn - 1][nn];
        if (l === nn - 1) {
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? Math.abs(z) : -Math.abs(z));
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = -z;
            wi[nn] = z;
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
            z = a[m][m];
            r = x - z;
            s = y - z;
            p = (r * s - w) / a[m + 1][m] + a[m][m + 1];
            q = a[m + 1][m + 1] - z - r - s;
            r = a[m + 2][m + 1];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
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
              p = a[k][k - 1];
              q = a[k + 1][k - 1];
              r = 0;
              if (k + 1 !== nn) r = a[k + 2][k - 1];
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            const root = Math.sqrt(p * p + q * q + r * r);
            s = p >= 0 ? root : -root;
            if (s !== 0) {
              if (k === m) {
                if (l !== m) a[k][k - 1] = -a[k][k - 1];
              } else a[k][k - 1] = -s * x;
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                p = a[k][j] + q * a[k + 1][j];
                if (k + 1 !== nn) {
                  p += r * a[k + 2][j];
                  a[k + 2][j] -= p * z;
                }
                a[k + 1][j] -= p * y;
                a[k][j] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = x * a[i][k] + y * a[i][k + 1];
                if (k + 1 !== nn) {
                  p += z * a[i][k + 2];
                  a[i][k + 2] -= p * r;
                }
                a[i][k + 1] -= p * q;
                a[i][k] -= p;
              }
            }
          }
        }
      }
    } while (l + 1 < nn);
  }
  return Array.from(wr, (re, i) => ({ re, im: wi[i] }));
}
