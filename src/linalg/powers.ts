// Norms of matrix powers in the log domain. ‖Wⁿ‖₂ of a contraction falls like ρⁿ (ρ the
// spectral radius), so W²⁰⁰ with ρ = 0.01 is 10⁻⁴⁰⁰: below float64's range, and a plain product
// underflows to 0 (log10 = −∞) although nothing is wrong with W. Each product here is rescaled
// to unit max-entry and the scales are summed as log10, so every power's norm is representable.
import { spectralNormByPowerIteration } from './lanczos.js';
import { type Matrix, matMul } from './matrix.js';

function maxAbs(m: Matrix): number {
  let a = 0;
  for (const v of m.data) a = Math.max(a, Math.abs(v));
  return a;
}

/**
 * log10 ‖Wⁿ‖₂ for n = 1..nMax (index n−1), computed on rescaled products so no power underflows
 * or overflows float64. A power that is exactly zero (a nilpotent W) gives −∞ from then on:
 * the true value, not an artefact. `norm` computes ‖·‖₂ of a matrix with max-entry 1.
 */
export function log10NormsOfPowers(w: Matrix, nMax: number, norm: (m: Matrix) => number = spectralNormByPowerIteration): number[] {
  if (w.rows !== w.cols) throw new RangeError(`log10NormsOfPowers: W must be square, got ${w.rows}×${w.cols}`);
  if (!Number.isInteger(nMax) || nMax < 1) throw new RangeError(`log10NormsOfPowers: nMax must be an integer ≥ 1, got ${nMax}`);
  const out: number[] = [];
  let p: Matrix = w,
    log10Scale = 0;
  for (let n = 1; n <= nMax; n++) {
    if (n > 1) p = matMul(w, p);
    const a = maxAbs(p);
    if (a === 0) {
      while (out.length < nMax) out.push(-Infinity);
      return out;
    }
    if (!Number.isFinite(a)) throw new RangeError(`log10NormsOfPowers: W has a non-finite entry (power ${n})`);
    p = { ...p, data: p.data.map((v) => v / a) };
    log10Scale += Math.log10(a);
    out.push(log10Scale + Math.log10(norm(p)));
  }
  return out;
}
