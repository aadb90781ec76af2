import { LAYER_NORM_EPSILON } from '../config/types.js';
import { type Matrix, add, columns, identity, matMul, scaleRows, setBlock, transpose, vecMat, zeros } from '../linalg/matrix.js';
import type { ModelParams } from '../models/params.js';
import { SCALAR_FNS } from './activations.js';

/**
 * One float64 step of a cell, with its analytic Jacobians. The state s is h for every
 * cell but the LSTM, whose state is [h; c]. Jacobians follow the document's convention:
 * J[i][j] = ∂s_next_i/∂s_j. With tfjs's row-vector layout (z = h·K), the document's
 * W_hh is Kᵀ, so ∂h_{k+1}/∂h_k = diag(σ'(z_k))·Kᵀ.
 */
export interface OracleStep {
  /** Next state. */
  readonly state: Float64Array;
  /** Pre-activation of the state update (for the LSTM and GRU: the candidate's). */
  readonly preActivation: Float64Array;
  /** Derivative of the state activation at preActivation: σ'(z). */
  readonly activationSlope: Float64Array;
  /** ∂s_{k+1}/∂s_k, [S, S]. */
  readonly jacobianState: Matrix;
  /** ∂s_{k+1}/∂x_k, [S, D]. */
  readonly jacobianInput: Matrix;
  /** LSTM only: the forget gate f_k. */
  readonly forgetGate?: Float64Array;
}

/** Size of the state vector of a model (2H for the LSTM). */
export function stateSize(params: ModelParams): number {
  return params.config.architecture === 'lstm' ? 2 * params.config.hiddenSize : params.config.hiddenSize;
}

function preActivations(params: ModelParams, h: Float64Array, x: Float64Array): { a: Float64Array; u: Float64Array } {
  const a = vecMat(x, params.wIh);
  const u = vecMat(h, params.wHh);
  for (let i = 0; i < a.length; i++) {
    a[i] += params.bIh[i];
    u[i] += params.bHh[i];
  }
  return { a, u };
}

const slice = (v: Float64Array, block: number, H: number): Float64Array => v.subarray(block * H, (block + 1) * H);

/** Advances the state by one step, in float64, returning the Jacobians at that step. */
export function oracleStep(params: ModelParams, s: Float64Array, x: Float64Array): OracleStep {
  const { architecture, hiddenSize: H } = params.config;
  switch (architecture) {
    case 'rnn':
    case 'residual':
      return simpleStep(params, s, x, architecture === 'residual');
    case 'layernorm':
      return layerNormStep(params, s, x);
    case 'lstm':
      return lstmStep(params, s, x, H);
    case 'gru':
      return gruStep(params, s, x, H);
  }
}

function simpleStep(params: ModelParams, h: Float64Array, x: Float64Array, residual: boolean): OracleStep {
  const act = SCALAR_FNS[params.config.activation];
  const { a, u } = preActivations(params, h, x);
  const z = a.map((v, i) => v + u[i]);
  const state = z.map(act.f);
  const slope = z.map(act.df);
  let jacobianInput = scaleRows(slope, transpose(params.wIh));
  if (residual) {
    // The document's ResidualRNNCell returns rnn_cell(x, h) + projection(x): the skip is from x_k to h_{k+1}.
    const proj = vecMat(x, params.wProj);
    for (let i = 0; i < state.length; i++) state[i] += proj[i] + params.bProj[i];
    jacobianInput = add(jacobianInput, transpose(params.wProj));
  }
  return { state, preActivation: z, activationSlope: slope, jacobianState: scaleRows(slope, transpose(params.wHh)), jacobianInput };
}

function layerNormStep(params: ModelParams, h: Float64Array, x: Float64Array): OracleStep {
  const H = params.config.hiddenSize;
  const act = SCALAR_FNS[params.config.activation];
  const { a, u } = preActivations(params, h, x);
  const z = a.map((v, i) => v + u[i]);
  let mean = 0;
  for (const v of z) mean += v / H;
  let variance = 0;
  for (const v of z) variance += (v - mean) ** 2 / H;
  const std = Math.sqrt(variance + LAYER_NORM_EPSILON);
  const zHat = z.map((v) => (v - mean) / std);
  const y = zHat.map((v, i) => params.lnGain[i] * v + params.lnBias[i]);
  const slope = y.map(act.df);
  // ∂ẑ/∂z = (I − 11ᵀ/H − ẑẑᵀ/H) / std (biased variance, as nn.LayerNorm uses).
  const jLn = zeros(H, H);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < H; j++) jLn.data[i * H + j] = ((i === j ? 1 : 0) - 1 / H - (zHat[i] * zHat[j]) / H) / std;
  }
  const outer = scaleRows(
    slope.map((v, i) => v * params.lnGain[i]),
    jLn,
  );
  return {
    state: y.map(act.f),
    preActivation: y,
    activationSlope: slope,
    jacobianState: matMul(outer, transpose(params.wHh)),
    jacobianInput: matMul(outer, transpose(params.wIh)),
  };
}

function lstmStep(params: ModelParams, s: Float64Array, x: Float64Array, H: number): OracleStep {
  const gate = SCALAR_FNS[params.config.recurrentActivation];
  const tanh = SCALAR_FNS.tanh;
  const h = s.subarray(0, H);
  const c = s.subarray(H, 2 * H);
  const { a, u } = preActivations(params, h, x);
  const z = a.map((v, i) => v + u[i]);
  const [zi, zf, zg, zo] = [0, 1, 2, 3].map((b) => slice(z, b, H));
  const i = zi.map(gate.f),
    f = zf.map(gate.f),
    g = zg.map(tanh.f),
    o = zo.map(gate.f);
  const cNext = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
  const tc = cNext.map(tanh.f);
  const hNext = o.map((oj, j) => oj * tc[j]);
  // ∂c'/∂(h or x) through the gates: Σ over i, f, g of diag(coefficient·slope)·Kᵀ of that gate block.
  const dcCoeff = [g.map((gj, j) => gj * gate.df(zi[j])), c.map((cj, j) => cj * gate.df(zf[j])), i.map((ij, j) => ij * tanh.df(zg[j]))];
  const doCoeff = tc.map((t, j) => t * gate.df(zo[j]));
  const dhdc = o.map((oj, j) => oj * (1 - tc[j] ** 2));
  const through = (kernel: Matrix): { dc: Matrix; dh: Matrix } => {
    let dc = zeros(H, kernel.rows);
    for (let b = 0; b < 3; b++) dc = add(dc, scaleRows(dcCoeff[b], transpose(columns(kernel, b * H, H))));
    const dh = add(scaleRows(doCoeff, transpose(columns(kernel, 3 * H, H))), scaleRows(dhdc, dc));
    return { dc, dh };
  };
  const viaH = through(params.wHh);
  const viaX = through(params.wIh);
  const jacobianState = zeros(2 * H, 2 * H);
  setBlock(jacobianState, 0, 0, viaH.dh);
  setBlock(jacobianState, H, 0, viaH.dc);
  setBlock(
    jacobianState,
    0,
    H,
    scaleRows(
      dhdc.map((v, j) => v * f[j]),
      identity(H),
    ),
  );
  setBlock(jacobianState, H, H, scaleRows(f, identity(H)));
  const jacobianInput = zeros(2 * H, params.config.inputSize);
  setBlock(jacobianInput, 0, 0, viaX.dh);
  setBlock(jacobianInput, H, 0, viaX.dc);
  const state = new Float64Array(2 * H);
  state.set(hNext, 0);
  state.set(cNext, H);
  return { state, preActivation: zg, activationSlope: zg.map(tanh.df), jacobianState, jacobianInput, forgetGate: f };
}

function gruStep(params: ModelParams, h: Float64Array, x: Float64Array, H: number): OracleStep {
  const gate = SCALAR_FNS[params.config.recurrentActivation];
  const tanh = SCALAR_FNS.tanh;
  const { a, u } = preActivations(params, h, x);
  // PyTorch's GRU: r and z from a + u; n = tanh(a_n + r ⊙ u_n), the reset applied after W_hn.
  const zr = slice(a, 0, H).map((v, j) => v + u[j]);
  const zz = slice(a, 1, H).map((v, j) => v + u[H + j]);
  const un = slice(u, 2, H);
  const r = zr.map(gate.f),
    zg = zz.map(gate.f);
  const zn = slice(a, 2, H).map((v, j) => v + r[j] * un[j]);
  const n = zn.map(tanh.f);
  const hNext = n.map((nj, j) => (1 - zg[j]) * nj + zg[j] * h[j]);
  const dn = zn.map((v, j) => (1 - zg[j]) * tanh.df(v));
  const dz = zz.map((v, j) => (h[j] - n[j]) * gate.df(v));
  const through = (kernel: Matrix, nScale: ArrayLike<number>): Matrix => {
    const viaN = add(
      scaleRows(nScale, transpose(columns(kernel, 2 * H, H))),
      scaleRows(
        un.map((v, j) => v * gate.df(zr[j])),
        transpose(columns(kernel, 0, H)),
      ),
    );
    return add(scaleRows(dz, transpose(columns(kernel, H, H))), scaleRows(dn, viaN));
  };
  const jacobianState = add(through(params.wHh, r), scaleRows(zg, identity(H)));
  // The input reaches n directly (not through r), so its n-block scale is 1.
  const jacobianInput = through(params.wIh, new Float64Array(H).fill(1));
  return { state: hNext, preActivation: zn, activationSlope: zn.map(tanh.df), jacobianState, jacobianInput };
}
