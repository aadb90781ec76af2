import type { InitScheme } from '../config/types.js';
import { type Matrix, zeros } from '../linalg/matrix.js';
import type { Rng } from './rng.js';

/**
 * Draws a weight matrix in tfjs's kernel layout [fanIn, fanOut] (the transpose of
 * PyTorch's weight_ih/weight_hh). `blocks` is the number of gate blocks along the
 * columns; `pytorchBound` is the 1/sqrt(fan) bound PyTorch's default uses for this tensor.
 * Every value is rounded to float32 so the float64 oracle and tfjs see identical weights.
 */
export function initMatrix(scheme: InitScheme, rows: number, cols: number, blocks: number, rng: Rng, pytorchBound: number): Matrix {
  const m = zeros(rows, cols);
  const d = m.data;
  switch (scheme.kind) {
    case 'uniform':
      for (let i = 0; i < d.length; i++) d[i] = rng.uniform(scheme.low, scheme.high);
      break;
    case 'normal':
      for (let i = 0; i < d.length; i++) d[i] = scheme.std * rng.normal();
      break;
    case 'pytorchDefault':
      for (let i = 0; i < d.length; i++) d[i] = rng.uniform(-pytorchBound, pytorchBound);
      break;
    case 'glorotUniform': {
      // Computed on the fused kernel's shape, as tf.initializers.glorotUniform does.
      const limit = Math.sqrt(6 / (rows + cols));
      for (let i = 0; i < d.length; i++) d[i] = rng.uniform(-limit, limit);
      break;
    }
    case 'orthogonal':
      semiOrthogonal(m, rng, scheme.gain);
      break;
    case 'identity': {
      const block = cols / blocks;
      for (let b = 0; b < blocks; b++) for (let i = 0; i < Math.min(rows, block); i++) d[i * cols + b * block + i] = scheme.scale;
      break;
    }
    case 'zeros':
      break;
  }
  for (let i = 0; i < d.length; i++) d[i] = Math.fround(d[i]);
  return m;
}

/** Draws a vector (a bias) from a vector initialiser. */
export function initVector(scheme: InitScheme, length: number, rng: Rng, pytorchBound: number): Float64Array {
  return initMatrix(scheme, 1, length, 1, rng, pytorchBound).data;
}

/**
 * Fills m with gain times a matrix whose rows (if rows <= cols) or columns are
 * orthonormal: all its singular values equal |gain|. Made, as tfjs and PyTorch do, from
 * the QR decomposition of a Gaussian matrix with the signs of R's diagonal folded into Q,
 * so it is uniform over the orthogonal group (Mezzadri 2007).
 */
function semiOrthogonal(m: Matrix, rng: Rng, gain: number): void {
  const tall = m.rows >= m.cols;
  const n = tall ? m.rows : m.cols; // length of each orthonormal vector
  const k = tall ? m.cols : m.rows; // how many of them
  const vectors: Float64Array[] = [];
  for (let v = 0; v < k; v++) {
    const q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = rng.normal();
    // Modified Gram–Schmidt, run twice for float64-level orthogonality.
    let rDiag = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (const prev of vectors) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += prev[i] * q[i];
        for (let i = 0; i < n; i++) q[i] -= dot * prev[i];
      }
      let len = 0;
      for (let i = 0; i < n; i++) len += q[i] * q[i];
      len = Math.sqrt(len);
      if (pass === 0) rDiag = len;
      for (let i = 0; i < n; i++) q[i] /= len;
    }
    if (rDiag === 0) throw new RangeError('semiOrthogonal: degenerate Gaussian draw');
    vectors.push(q);
  }
  for (let v = 0; v < k; v++) {
    for (let i = 0; i < n; i++) {
      const value = gain * vectors[v][i];
      if (tall) m.data[i * m.cols + v] = value;
      else m.data[v * m.cols + i] = value;
    }
  }
}
