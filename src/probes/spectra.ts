import type { ModelParams } from '../models/params.js';
import { type JacobianChain, chainProduct } from '../numerics/jacobian-chain.js';
import { type Complex, eigenvalues } from '../linalg/eigen.js';
import { spectralNormByLanczos, spectralNormByPowerIteration } from '../linalg/lanczos.js';
import { type Matrix, columns, transpose } from '../linalg/matrix.js';
import { singularValues } from '../linalg/svd.js';

/** Spectral summary of a square matrix. */
export interface Spectrum {
  /** Singular values, largest first. */
  readonly singularValues: number[];
  readonly spectralNorm: number;
  readonly eigenvalues: Complex[];
  readonly spectralRadius: number;
  /** Share of eigenvalues with |λ| < 1. */
  readonly fractionInsideUnitCircle: number;
}

/** Probe 4: singular values, spectral norm, eigenvalues and spectral radius of a square matrix. */
export function spectrum(m: Matrix): Spectrum {
  const sv = singularValues(m);
  const ev = eigenvalues(m);
  const moduli = ev.map((z) => Math.hypot(z.re, z.im));
  return {
    singularValues: sv,
    spectralNorm: sv[0],
    eigenvalues: ev,
    spectralRadius: Math.max(...moduli),
    fractionInsideUnitCircle: moduli.filter((r) => r < 1).length / moduli.length,
  };
}

/**
 * The document's W_hh of a model, one gate block at a time: the transpose of tfjs's
 * recurrent kernel block (the candidate block g for the LSTM, n for the GRU by default).
 */
export function recurrentMatrix(params: ModelParams, block = params.config.architecture === 'lstm' ? 2 : params.config.architecture === 'gru' ? 2 : 0): Matrix {
  const H = params.config.hiddenSize;
  return transpose(columns(params.wHh, block * H, H));
}

/** Spectral norms of every per-step Jacobian: γ_t = ‖∂s_t/∂s_{t−1}‖₂. */
export function jacobianNorms(chain: JacobianChain): number[] {
  return chain.jacobianState.slice(1).map((j) => spectralNormByLanczos(j));
}

/** log10 ‖∂s_b/∂s_a‖₂ of the product of Jacobians between two steps (renormalised, so it never underflows). */
export function log10ProductNorm(chain: JacobianChain, a: number, b: number): number {
  const { product, log10Scale } = chainProduct(chain, a, b);
  return log10Scale + Math.log10(spectralNormByPowerIteration(product));
}
