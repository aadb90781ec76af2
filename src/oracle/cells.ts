import { LAYER_NORM_EPSILON } from '../config/types.js';
import { type Matrix, add, matMul, scaleRows, transpose, vecMat, zeros } from '../linalg/matrix.js';
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

/**
 * The transposed kernels a run's steps read, computed once per run instead of once per step:
 * Kᵀ of W_ih, W_hh and the residual projection, and for the layernorm cell the column means of
 * W_hhᵀ and W_ihᵀ (the 11ᵀ/H part of its Jacobian).
 */
export interface StepKernels {
  readonly wIhT: Matrix;
  readonly wHhT: Matrix;
  readonly wProjT: Matrix;
}

/** The transposed kernels of `params` (pass them to every oracleStep of a run). */
export function stepKernels(params: ModelParams): StepKernels {
  return { wIhT: transpose(params.wIh), wHhT: transpose(params.wHh), wProjT: transpose(params.wProj) };
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

/**
 * Advances the state by one step, in float64, returning the Jacobians at that step. `kernels`
 * (stepKernels(params)) saves recomputing the transposes at every step of a run.
 */
export function oracleStep(params: ModelParams, s: Float64Array, x: Float64Array, kernels: StepKernels = stepKernels(params)): OracleStep {
  const { architecture, hiddenSize: H } = params.config;
  switch (architecture) {
    case 'rnn':
    case 'residual':
      return simpleStep(params, kernels, s, x, architecture === 'residual');
    case 'layernorm':
      return layerNormStep(params, kernels, s, x);
    case 'lstm':
      return lstmStep(params, kernels, s, x, H);
    case 'gru':
      return gruStep(params, kernels, s, x, H);
  }
}

function simpleStep(params: ModelParams, k: StepKernels, h: Float64Array, x: Float64Array, residual: boolean): OracleStep {
  const act = SCALAR_FNS[params.config.activation];
  const { a, u } = preActivations(params, h, x);
  const z = a.map((v, i) => v + u[i]);
  const state = z.map(act.f);
  const slope = z.map(act.df);
  let jacobianInput = scaleRows(slope, k.wIhT);
  if (residual) {
    // The document's ResidualRNNCell returns rnn_cell(x, h) + projection(x): the skip is from x_k to h_{k+1}.
    const proj = vecMat(x, params.wProj);
    for (let i = 0; i < state.length; i++) state[i] += proj[i] + params.bProj[i];
    jacobianInput = add(jacobianInput, k.wProjT);
  }
  return { state, preActivation: z, activationSlope: slope, jacobianState: scaleRows(slope, k.wHhT), jacobianInput };
}

function layerNormStep(params: ModelParams, k: StepKernels, h: Float64Array, x: Float64Array): OracleStep {
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
  // diag(σ'(y)·gain)·∂ẑ/∂z, with ∂ẑ/∂z = (I − 11ᵀ/H − ẑẑᵀ/H) / std (biased variance, as nn.LayerNorm uses), formed
  // entry by entry and multiplied by Kᵀ. A rank-one form, O(H²) instead of O(H³), was tried: it moved the float64
  // values of two-unit layer norms, whose Jacobian is only the ε term left after cancellation (VG-FLOW-PRODUCT's
  // boundary), so this form stays, the float64 oracle unchanged.
  const outer = zeros(H, H);
  for (let i = 0; i < H; i++) {
    const row = slope[i] * params.lnGain[i];
    for (let j = 0; j < H; j++) outer.data[i * H + j] = row * (((i === j ? 1 : 0) - 1 / H - (zHat[i] * zHat[j]) / H) / std);
  }
  return {
    state: y.map(act.f),
    preActivation: y,
    activationSlope: slope,
    jacobianState: matMul(outer, k.wHhT),
    jacobianInput: matMul(outer, k.wIhT),
  };
}

function lstmStep(params: ModelParams, k: StepKernels, s: Float64Array, x: Float64Array, H: number): OracleStep {
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
  // dh and dc written straight into their blocks of the Jacobian [out, 2H or D]: dc = Σ_b diag(dcCoeff_b)·K_bᵀ, dh = diag(doCoeff)·K_oᵀ + diag(dhdc)·dc.
  const through = (kT: Matrix, target: Matrix): void => {
    const n = kT.cols,
      w = target.cols,
      td = target.data;
    const blocks = [0, 1, 2, 3].map((b) => scaleRows(b === 3 ? doCoeff : dcCoeff[b], kT, b * H).data);
    for (let r = 0; r < H; r++)
      for (let j = 0; j < n; j++) {
        const e = r * n + j;
        const dc = 0 + blocks[0][e] + blocks[1][e] + blocks[2][e];
        td[(H + r) * w + j] = dc;
        td[r * w + j] = blocks[3][e] + dhdc[r] * dc;
      }
  };
  const jacobianState = zeros(2 * H, 2 * H);
  through(k.wHhT, jacobianState);
  for (let r = 0; r < H; r++) {
    jacobianState.data[r * 2 * H + H + r] = dhdc[r] * f[r];
    jacobianState.data[(H + r) * 2 * H + H + r] = f[r];
  }
  const jacobianInput = zeros(2 * H, params.config.inputSize);
  through(k.wIhT, jacobianInput);
  const state = new Float64Array(2 * H);
  state.set(hNext, 0);
  state.set(cNext, H);
  return { state, preActivation: zg, activationSlope: zg.map(tanh.df), jacobianState, jacobianInput, forgetGate: f };
}

function gruStep(params: ModelParams, k: StepKernels, h: Float64Array, x: Float64Array, H: number): OracleStep {
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
  const rScale = un.map((v, j) => v * gate.df(zr[j]));
  // diag(dz)·K_zᵀ + diag(dn)·(diag(nScale)·K_nᵀ + diag(rScale)·K_rᵀ), plus `diagonal` on the diagonal.
  const through = (kT: Matrix, nScale: ArrayLike<number>, diagonal?: ArrayLike<number>): Matrix => {
    const cols = kT.cols;
    const viaR = scaleRows(rScale, kT, 0).data,
      viaZ = scaleRows(dz, kT, H).data,
      viaN = scaleRows(nScale, kT, 2 * H).data;
    const out = zeros(H, cols);
    for (let row = 0; row < H; row++)
      for (let j = 0; j < cols; j++) {
        const e = row * cols + j;
        out.data[e] = viaZ[e] + dn[row] * (viaN[e] + viaR[e]);
      }
    if (diagonal) for (let row = 0; row < H; row++) out.data[row * cols + row] += diagonal[row];
    return out;
  };
  const jacobianState = through(k.wHhT, r, zg);
  // The input reaches n directly (not through r), so its n-block scale is 1.
  const jacobianInput = through(k.wIhT, new Float64Array(H).fill(1));
  return { state: hNext, preActivation: zn, activationSlope: zn.map(tanh.df), jacobianState, jacobianInput };
}
