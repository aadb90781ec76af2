import { LARGE_FORGET_BIAS, type ModelConfig, gateCount } from '../config/types.js';
import { type Matrix, zeros } from '../linalg/matrix.js';
import { initMatrix, initVector } from './init.js';
import { Rng } from './rng.js';

/**
 * The weights of one model and its input sequence, as float32-rounded float64 arrays.
 * Both the tfjs models and the float64 oracle are built from this, so they compute on
 * exactly the same numbers. Kernels are in tfjs's layout: z = x·W_ih + h·W_hh + b.
 * Gate order: LSTM i, f, g, o (PyTorch's and tfjs's); GRU r, z, n (PyTorch's).
 */
export interface ModelParams {
  readonly config: ModelConfig;
  readonly gates: number;
  /** [inputSize, gates·hiddenSize] */
  readonly wIh: Matrix;
  /** [hiddenSize, gates·hiddenSize]; the document's W_hh is its transpose. */
  readonly wHh: Matrix;
  /** [gates·hiddenSize] input-side bias. */
  readonly bIh: Float64Array;
  /** [gates·hiddenSize] recurrent-side bias (zero for the layernorm cell, whose W_hh has no bias). */
  readonly bHh: Float64Array;
  /** Residual cell: the skip projection [inputSize, hiddenSize] and its bias. */
  readonly wProj: Matrix;
  readonly bProj: Float64Array;
  /** Layernorm cell: gain (ones) and bias (zeros) at initialisation. */
  readonly lnGain: Float64Array;
  readonly lnBias: Float64Array;
  /** Input sequence x, [seqLength, inputSize], drawn N(0, inputStd²). */
  readonly inputs: Matrix;
}

/** Builds the seeded parameters and input of a (validated) configuration. */
export function createParams(config: ModelConfig): ModelParams {
  const { hiddenSize: H, inputSize: D, seqLength: T, seed } = config;
  const gates = gateCount(config.architecture);
  const rnnBound = 1 / Math.sqrt(H);
  // nn.Linear's default bound is 1/sqrt(fan_in): the layernorm cell's W_xh and the residual projection use it.
  const linearBound = 1 / Math.sqrt(D);
  const inputBound = config.architecture === 'layernorm' ? linearBound : rnnBound;
  const wIh = initMatrix(config.inputInit, D, gates * H, gates, new Rng(seed, 'wIh'), inputBound);
  const wHh = initMatrix(config.recurrentInit, H, gates * H, gates, new Rng(seed, 'wHh'), rnnBound);
  const bIh = initVector(config.biasInit, gates * H, new Rng(seed, 'bIh'), inputBound);
  const bHh = config.architecture === 'layernorm' ? new Float64Array(gates * H) : initVector(config.biasInit, gates * H, new Rng(seed, 'bHh'), rnnBound);
  if (config.architecture === 'lstm') applyForgetBias(config, bIh, bHh, new Rng(seed, 'forget'));
  const residual = config.architecture === 'residual';
  const wProj = residual ? initMatrix(config.inputInit, D, H, 1, new Rng(seed, 'wProj'), linearBound) : zeros(0, 0);
  const bProj = residual ? initVector(config.biasInit, H, new Rng(seed, 'bProj'), linearBound) : new Float64Array(0);
  const lnGain = new Float64Array(config.architecture === 'layernorm' ? H : 0).fill(1);
  const lnBias = new Float64Array(config.architecture === 'layernorm' ? H : 0);
  const inputs = zeros(T, D);
  const rng = new Rng(seed, 'inputs');
  for (let i = 0; i < inputs.data.length; i++) inputs.data[i] = Math.fround(config.inputStd * rng.normal());
  return { config, gates, wIh, wHh, bIh, bHh, wProj, bProj, lnGain, lnBias, inputs };
}

function applyForgetBias(config: ModelConfig, bIh: Float64Array, bHh: Float64Array, rng: Rng): void {
  const H = config.hiddenSize;
  const f = H; // forget block starts after the input gate block
  if (config.forgetBias === 'init') return;
  for (let j = 0; j < H; j++) {
    bHh[f + j] = 0;
    if (config.forgetBias === 'zero') bIh[f + j] = 0;
    else if (config.forgetBias === 'one') bIh[f + j] = 1;
    else if (config.forgetBias === 'large') bIh[f + j] = LARGE_FORGET_BIAS;
    else {
      // Chrono initialisation (Tallec & Ollivier 2018): b_f ~ log U(1, T_max - 1), b_i = -b_f.
      const value = Math.fround(Math.log(rng.uniform(1, Math.max(2, config.seqLength - 1))));
      bIh[f + j] = value;
      bIh[j] = -value;
      bHh[j] = 0;
    }
  }
}
