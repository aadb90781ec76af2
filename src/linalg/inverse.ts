import { LuDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import type { Matrix } from './matrix.js';
import { fromMlMatrix, toMlMatrix, unitScale } from './ml.js';

/**
 * M⁻¹, by ml-matrix's LU decomposition with partial pivoting. Meant for small, well-conditioned
 * matrices (the eigenvector bases the claims build); it does not check the condition number.
 * Throws on a non-square or exactly singular matrix (a zero pivot), or a non-finite entry.
 */
export function inverse(m: Matrix): Matrix {
  if (m.rows !== m.cols) throw new RangeError(`inverse: matrix must be square, got ${m.rows}x${m.cols}`);
  // (M/s)⁻¹/s with s a power of two: exact, and no pivot overflows or underflows for want of scale.
  const scale = unitScale(m);
  const lu = new LuDecomposition(toMlMatrix(m, 'inverse', scale));
  if (lu.isSingular()) throw new RangeError(`inverse: the ${m.rows}x${m.cols} matrix is singular (a zero pivot in its LU decomposition)`);
  const out = fromMlMatrix(lu.solve(MlMatrix.eye(m.rows)));
  return { ...out, data: out.data.map((v) => v / scale) };
}
