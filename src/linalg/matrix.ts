/**
 * Dense float64 matrices: row-major, plain TypeScript, no tfjs. The base of the stack: the
 * oracle, the Jacobian chains and the claims all compute on these. Where a matrix is a
 * Jacobian, the convention is the document's: J[i][j] = ∂out_i/∂in_j.
 */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A rows×cols matrix of zeros. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** scale·I, n×n. */
export function identity(n: number, scale = 1): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = scale;
  return m;
}

/** Mᵀ, as a new matrix. */
export function transpose(m: Matrix): Matrix {
  const out = zeros(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j];
  return out;
}

/** A·B; the inner sizes must agree. Zero entries of A are skipped (Jacobians of saturated cells are sparse). */
export function matMul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`matMul: inner sizes differ (${a.rows}x${a.cols} · ${b.rows}x${b.cols})`);
  const out = zeros(a.rows, b.cols);
  matMulInto(a, b.data, b.cols, out.data);
  return out;
}

/**
 * A·B into `out` (a.rows × cols, overwritten), for B given as row-major data with `cols` columns:
 * matMul without allocating, for loops that multiply once per step. Same sums in the same order as matMul.
 */
export function matMulInto(a: Matrix, bd: Float64Array, cols: number, out: Float64Array): void {
  if (bd.length !== a.cols * cols || out.length !== a.rows * cols)
    throw new RangeError(`matMulInto: ${a.rows}x${a.cols} · ${bd.length / cols}x${cols} into ${out.length} entries`);
  out.fill(0);
  const { data: ad, rows, cols: inner } = a;
  for (let i = 0; i < rows; i++) {
    const oi = i * cols,
      ai = i * inner;
    let k = 0;
    // Four rows of B per pass over row i of the output when the four entries of A are all nonzero:
    // each output entry still adds the same products in the same order (k ascending), read and written once.
    for (; k + 3 < inner; k += 4) {
      const a0 = ad[ai + k],
        a1 = ad[ai + k + 1],
        a2 = ad[ai + k + 2],
        a3 = ad[ai + k + 3];
      if (a0 !== 0 && a1 !== 0 && a2 !== 0 && a3 !== 0) {
        const b0 = k * cols,
          b1 = b0 + cols,
          b2 = b1 + cols,
          b3 = b2 + cols;
        for (let j = 0; j < cols; j++) {
          let o = out[oi + j];
          o += a0 * bd[b0 + j];
          o += a1 * bd[b1 + j];
          o += a2 * bd[b2 + j];
          o += a3 * bd[b3 + j];
          out[oi + j] = o;
        }
      } else for (let kk = k; kk < k + 4; kk++) addScaledRow(out, oi, ad[ai + kk], bd, kk * cols, cols);
    }
    for (; k < inner; k++) addScaledRow(out, oi, ad[ai + k], bd, k * cols, cols);
  }
}

/** out[at + j] += s·b[from + j] for j < n, skipped when s is 0. */
function addScaledRow(out: Float64Array, at: number, s: number, b: Float64Array, from: number, n: number): void {
  if (s === 0) return;
  for (let j = 0; j < n; j++) out[at + j] += s * b[from + j];
}

/** Row vector times matrix: v·M (length M.cols); zero entries of v are skipped. The 1×rows case of matMulInto. */
export function vecMat(v: ArrayLike<number>, m: Matrix): Float64Array {
  if (v.length !== m.rows) throw new RangeError(`vecMat: vector ${v.length} vs matrix ${m.rows}x${m.cols}`);
  const out = new Float64Array(m.cols);
  const row = v instanceof Float64Array ? v : Float64Array.from(v);
  matMulInto({ rows: 1, cols: m.rows, data: row }, m.data, m.cols, out);
  return out;
}

/** Matrix times column vector: M·v (length M.rows). Each entry sums its row's products in order (j ascending), four rows side by side. */
export function matVec(m: Matrix, v: ArrayLike<number>): Float64Array {
  if (v.length !== m.cols) throw new RangeError(`matVec: matrix ${m.rows}x${m.cols} vs vector ${v.length}`);
  const { rows, cols: n, data } = m;
  const out = new Float64Array(rows);
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const r0 = i * n,
      r1 = r0 + n,
      r2 = r1 + n,
      r3 = r2 + n;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let j = 0; j < n; j++) {
      const vj = v[j];
      s0 += data[r0 + j] * vj;
      s1 += data[r1 + j] * vj;
      s2 += data[r2 + j] * vj;
      s3 += data[r3 + j] * vj;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < rows; i++) {
    let sum = 0;
    for (let j = 0, base = i * n; j < n; j++) sum += data[base + j] * v[j];
    out[i] = sum;
  }
  return out;
}

/** diag(d)·M: scales row i by d[i]. With `fromRow`, rows [fromRow, fromRow + d.length) of M only (a gate block of Kᵀ). */
export function scaleRows(d: ArrayLike<number>, m: Matrix, fromRow = 0): Matrix {
  if (fromRow + d.length > m.rows) throw new RangeError(`scaleRows: rows ${fromRow}..${fromRow + d.length} of a ${m.rows}x${m.cols} matrix`);
  const n = m.cols;
  const out = zeros(d.length, n);
  for (let i = 0; i < d.length; i++) {
    const di = d[i],
      base = (fromRow + i) * n;
    for (let j = 0; j < n; j++) out.data[i * n + j] = di * m.data[base + j];
  }
  return out;
}

/** A + B, entrywise; the shapes must agree. */
export function add(a: Matrix, b: Matrix): Matrix {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new RangeError('add: shapes differ');
  const out = zeros(a.rows, a.cols);
  for (let i = 0; i < a.data.length; i++) out.data[i] = a.data[i] + b.data[i];
  return out;
}

/** Columns [from, from + count) of m, as their own matrix (a gate block of a fused kernel). */
export function columns(m: Matrix, from: number, count: number): Matrix {
  const out = zeros(m.rows, count);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < count; j++) out.data[i * count + j] = m.data[i * m.cols + from + j];
  return out;
}

/** Places block b at (row, col) of m, in place. */
export function setBlock(m: Matrix, row: number, col: number, b: Matrix): void {
  for (let i = 0; i < b.rows; i++) for (let j = 0; j < b.cols; j++) m.data[(row + i) * m.cols + col + j] = b.data[i * b.cols + j];
}

/** Euclidean norm ‖v‖₂ of a vector. */
export function norm2(v: ArrayLike<number>): number {
  // Scaled sum of squares, so tiny or huge entries neither underflow nor overflow.
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] / scale) ** 2;
  return scale * Math.sqrt(sum);
}
