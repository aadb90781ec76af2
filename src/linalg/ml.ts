// The edge to ml-matrix, which stores a matrix as rows of Float64Array; the project's Matrix is
// one row-major Float64Array. Both are float64, so the copies are exact.
import { Matrix as MlMatrix } from 'ml-matrix';
import type { Matrix } from './matrix.js';

/**
 * Entries below NEGLIGIBLE·scale are copied as 0. ml-matrix's SVD tests convergence against
 * Number.MIN_VALUE where JAMA uses 2⁻⁹⁶⁶, and never returned on fuzzed matrices mixing subnormal
 * and normal entries; a change of 2⁻⁹⁰⁰·‖A‖ is far below the ε·‖A‖ = 2⁻⁵²·‖A‖ it resolves.
 */
const NEGLIGIBLE = 2 ** -900;

/**
 * An ml-matrix copy of m/scale, entries below NEGLIGIBLE·scale as 0. Refuses a non-finite entry,
 * naming `caller`: ml-matrix's QR iterations have no iteration cap, and on NaN never return.
 */
export function toMlMatrix(m: Matrix, caller: string, scale = 1): MlMatrix {
  const bad = m.data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new RangeError(`${caller}: entry [${Math.floor(bad / m.cols)}][${bad % m.cols}] is ${m.data[bad]}; every entry must be finite`);
  const negligible = NEGLIGIBLE * scale;
  return new MlMatrix(
    Array.from({ length: m.rows }, (_, i) => m.data.subarray(i * m.cols, (i + 1) * m.cols).map((v) => (Math.abs(v) < negligible ? 0 : v / scale))),
  );
}

/**
 * A power of two near the largest |entry| (1 for a zero matrix), to divide by before ml-matrix's
 * QR iterations and multiply their eigen- or singular values by after: exact, and it keeps the
 * iterations' stopping test ε·‖A‖ a normal number. Without it they never return on matrices whose
 * entries are all below about 1e-290 (the test underflows to 0) or all above about 1e290 (EVD).
 */
export function unitScale(m: Matrix): number {
  const largest = m.data.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
  // log2 of the largest double rounds to 1024, and 2¹⁰²⁴ overflows.
  return largest === 0 ? 1 : 2 ** Math.min(1023, Math.floor(Math.log2(largest)));
}

/** The project's copy of an ml-matrix matrix. */
export function fromMlMatrix(m: MlMatrix): Matrix {
  return { rows: m.rows, cols: m.columns, data: Float64Array.from(m.to1DArray()) };
}
