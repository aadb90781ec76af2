import * as tf from '@tensorflow/tfjs';
import { LAYER_NORM_EPSILON, type ModelConfig } from '../config/types.js';
import type { ModelParams } from './params.js';

/**
 * A batch of C models of one shape as tfjs tensors, written with raw tf ops (not tf.layers)
 * so probes can reach pre-activations and the LSTM cell state, and so C configurations run
 * in one pass through batched matMuls. Every tensor has a leading config axis C.
 */
export interface TfModel {
  /** The shape-defining config (the first model's); every model shares its sizes, architecture and activations. */
  readonly config: ModelConfig;
  readonly count: number;
  readonly wIh: tf.Tensor; // [C, D, G·H]
  readonly wHh: tf.Tensor; // [C, H, G·H]
  readonly bIh: tf.Tensor; // [C, 1, G·H]
  readonly bHh: tf.Tensor; // [C, 1, G·H]
  readonly wProj: tf.Tensor | null; // [C, D, H]
  readonly bProj: tf.Tensor | null; // [C, 1, H]
  readonly lnGain: tf.Tensor | null; // [C, 1, H]
  readonly lnBias: tf.Tensor | null;
  /** The models' input sequences, [C, 1, T, D]. */
  readonly inputs: tf.Tensor;
  /**
   * The same W_ih and W_hh laid out as depthwise-conv filters, for the per-configuration
   * mat-vecs of the batch (see batchedMatVec). Absent (or null) on model views whose
   * weights are differentiated (param-grads, training): stepTf then uses tf.matMul.
   */
  readonly matVec?: { readonly wIh: MatVecWeights; readonly wHh: MatVecWeights } | null;
  dispose(): void;
}

/** A weight [C, K, N] as depthwise filters: forward [1, K, C, N] and its transpose [1, N, C, K] for the backward pass. */
export interface MatVecWeights {
  readonly forward: tf.Tensor4D;
  readonly backward: tf.Tensor4D;
}

function matVecWeights(w: tf.Tensor): MatVecWeights {
  const [C, K, N] = w.shape as [number, number, number];
  return tf.tidy(() => ({
    forward: tf.reshape(tf.transpose(w, [1, 0, 2]), [1, K, C, N]) as tf.Tensor4D,
    backward: tf.reshape(tf.transpose(w, [2, 0, 1]), [1, N, C, K]) as tf.Tensor4D,
  }));
}

/** out[c, b, :] = x[c, b, :]·W_c through one depthwise conv (channels = configurations). */
function depthwiseMatVec(x: tf.Tensor, filter: tf.Tensor4D): tf.Tensor {
  const [C, B, K] = x.shape as [number, number, number];
  const N = filter.shape[3];
  // Rows go on the spatial height axis (not the batch axis): XNNPACK then reuses each packed
  // filter across the B rows (one GEMM of B rows per configuration) instead of B GEMVs.
  const input = tf.reshape(tf.transpose(x, [1, 2, 0]), [1, B, K, C]) as tf.Tensor4D;
  const out = tf.depthwiseConv2d(input, filter, 1, 'valid'); // [1, B, 1, C·N]
  return B === 1 ? tf.reshape(out, [C, 1, N]) : tf.transpose(tf.reshape(out, [B, C, N]), [1, 0, 2]);
}

/**
 * x [C, B, K] times C separate matrices: tfjs's wasm backend sends a batched matMul with
 * more than one matrix to a scalar loop; a depthwise conv runs the C mat-vecs through
 * XNNPACK with the packed weights cached. The gradient w.r.t. x is a second depthwise conv
 * with the transposed filter; the weights are constants here (no gradient flows to them).
 */
export function batchedMatVec(x: tf.Tensor, w: tf.Tensor, fast: MatVecWeights | undefined | null): tf.Tensor {
  if (!fast) return tf.matMul(x, w);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: depthwiseMatVec(args[0] as tf.Tensor, fast.forward),
    gradFunc: (dy: tf.Tensor) => depthwiseMatVec(dy, fast.backward),
  }));
  return f(x);
}

/** x [C, B, N] times each configuration's Wᵀ (w [C, K, N]): the backward product of batchedMatVec. */
export function batchedMatVecTransposed(x: tf.Tensor, w: tf.Tensor, fast: MatVecWeights | undefined | null): tf.Tensor {
  return fast ? depthwiseMatVec(x, fast.backward) : tf.matMul(x, w, false, true);
}

/** The recurrent state of a batch: h, and c for the LSTM; each [C, B, H]. */
export interface TfState {
  readonly h: tf.Tensor;
  readonly c: tf.Tensor | null;
}

/** What one step exposes to the probes besides the new state. */
export interface TfStepOutput {
  readonly state: TfState;
  /** Pre-activation of the state update ([C, B, H]); for LSTM/GRU the candidate's. */
  readonly preActivation: tf.Tensor;
  /** LSTM: the forget gate f_t. */
  readonly forgetGate: tf.Tensor | null;
}

/** Throws a RangeError unless every model has the shape and activations of the first. */
function checkCompatible(list: readonly ModelParams[]): void {
  if (list.length === 0) throw new RangeError('buildTfModel: params list must not be empty');
  const keys = ['architecture', 'activation', 'recurrentActivation', 'inputSize', 'hiddenSize', 'seqLength'] as const;
  for (const p of list) {
    for (const key of keys) {
      if (p.config[key] !== list[0].config[key]) {
        throw new RangeError(`buildTfModel: every model in a batch must share ${key}; got ${String(p.config[key])} and ${String(list[0].config[key])}`);
      }
    }
  }
}

/** Uploads C models' weights (and inputs) once; keep the result across probes and dispose it after. */
export function buildTfModel(list: readonly ModelParams[]): TfModel {
  checkCompatible(list);
  const { config } = list[0];
  const { hiddenSize: H, inputSize: D, seqLength: T } = config;
  const C = list.length;
  const G = list[0].gates;
  const stack = (pick: (p: ModelParams) => Float64Array, rows: number, cols: number): tf.Tensor => {
    const data = new Float32Array(C * rows * cols);
    list.forEach((p, i) => data.set(pick(p), i * rows * cols));
    return tf.tensor3d(data, [C, rows, cols]);
  };
  const arch = config.architecture;
  const wIh = stack((p) => p.wIh.data, D, G * H);
  const wHh = stack((p) => p.wHh.data, H, G * H);
  // The depthwise mat-vec pays off on wasm with several models; tf.matMul stays for C = 1 (XNNPACK already) and on cpu.
  const fast = C > 1 && tf.getBackend() === 'wasm';
  return {
    config,
    count: C,
    wIh,
    wHh,
    bIh: stack((p) => p.bIh, 1, G * H),
    bHh: stack((p) => p.bHh, 1, G * H),
    wProj: arch === 'residual' ? stack((p) => p.wProj.data, D, H) : null,
    bProj: arch === 'residual' ? stack((p) => p.bProj, 1, H) : null,
    lnGain: arch === 'layernorm' ? stack((p) => p.lnGain, 1, H) : null,
    lnBias: arch === 'layernorm' ? stack((p) => p.lnBias, 1, H) : null,
    inputs: tf.tidy(() => stack((p) => p.inputs.data, T, D).reshape([C, 1, T, D])),
    matVec: fast ? { wIh: matVecWeights(wIh), wHh: matVecWeights(wHh) } : null,
    dispose() {
      for (const t of [this.wIh, this.wHh, this.bIh, this.bHh, this.wProj, this.bProj, this.lnGain, this.lnBias, this.inputs]) t?.dispose();
      for (const m of [this.matVec?.wIh, this.matVec?.wHh]) {
        m?.forward.dispose();
        m?.backward.dispose();
      }
    },
  };
}

/** The zero initial state for B sequences per model. */
export function zeroState(model: TfModel, batch: number): TfState {
  const shape: [number, number, number] = [model.count, batch, model.config.hiddenSize];
  return { h: tf.zeros(shape), c: model.config.architecture === 'lstm' ? tf.zeros(shape) : null };
}

/** σ(z) for a state or gate activation; the hand-written BPTT (src/experiments) uses the same function. */
export function activate(name: ModelConfig['activation'] | ModelConfig['recurrentActivation'], z: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'tanh':
      return tf.tanh(z);
    case 'relu':
      return tf.relu(z);
    case 'sigmoid':
      return tf.sigmoid(z);
    case 'linear':
      return z;
    // tfjs's hardSigmoid: clip(0.2·x + 0.5, 0, 1).
    case 'hardSigmoid':
      return tf.clipByValue(tf.add(tf.mul(z, 0.2), 0.5), 0, 1);
  }
}

const gate = (t: tf.Tensor, index: number, H: number): tf.Tensor => tf.slice(t, [0, 0, index * H], [-1, -1, H]);

/**
 * x·W_ih + b_ih for every step at once: x [C, B, T, D] → [C, B, T, G·H]. One op (and one in
 * the backward pass) instead of one per step; stepTf takes its slices.
 */
export function inputProjection(model: TfModel, x: tf.Tensor): tf.Tensor {
  const [C, B, T, D] = x.shape as [number, number, number, number];
  const flat = tf.reshape(x, [C, B * T, D]);
  const a = tf.add(batchedMatVec(flat, model.wIh, model.matVec?.wIh), model.bIh);
  return tf.reshape(a, [C, B, T, -1]);
}

/** One step of every model in the batch: x is [C, B, D]; `a`, when given, is its input projection. Not tidied: call it inside tf.tidy or tf.grad. */
export function stepTf(model: TfModel, state: TfState, x: tf.Tensor, projected?: tf.Tensor): TfStepOutput {
  const { architecture, activation, recurrentActivation, hiddenSize: H } = model.config;
  const a = projected ?? tf.add(batchedMatVec(x, model.wIh, model.matVec?.wIh), model.bIh);
  const u = tf.add(batchedMatVec(state.h, model.wHh, model.matVec?.wHh), model.bHh);
  switch (architecture) {
    case 'rnn':
    case 'residual': {
      const z = tf.add(a, u);
      let h = activate(activation, z);
      if (architecture === 'residual') h = tf.add(h, tf.add(tf.matMul(x, model.wProj!), model.bProj!));
      return { state: { h, c: null }, preActivation: z, forgetGate: null };
    }
    case 'layernorm': {
      const z = tf.add(a, u);
      const { mean, variance } = tf.moments(z, -1, true);
      const y = tf.add(tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, LAYER_NORM_EPSILON))), model.lnGain!), model.lnBias!);
      return { state: { h: activate(activation, y), c: null }, preActivation: y, forgetGate: null };
    }
    case 'lstm': {
      const z = tf.add(a, u);
      const i = activate(recurrentActivation, gate(z, 0, H));
      const f = activate(recurrentActivation, gate(z, 1, H));
      const zg = gate(z, 2, H);
      const o = activate(recurrentActivation, gate(z, 3, H));
      const c = tf.add(tf.mul(f, state.c!), tf.mul(i, tf.tanh(zg)));
      return { state: { h: tf.mul(o, tf.tanh(c)), c }, preActivation: zg, forgetGate: f };
    }
    case 'gru': {
      // PyTorch's GRU: the reset gate multiplies W_hn·h + b_hn (reset after the matmul).
      const r = activate(recurrentActivation, tf.add(gate(a, 0, H), gate(u, 0, H)));
      const zu = activate(recurrentActivation, tf.add(gate(a, 1, H), gate(u, 1, H)));
      const zn = tf.add(gate(a, 2, H), tf.mul(r, gate(u, 2, H)));
      const n = tf.tanh(zn);
      const h = tf.add(tf.mul(tf.sub(1, zu), n), tf.mul(zu, state.h));
      return { state: { h, c: null }, preActivation: zn, forgetGate: null };
    }
  }
}

/** Splits [C, B, T, D] inputs into T tensors [C, B, D]. */
export function unstackTime(x: tf.Tensor): tf.Tensor[] {
  return tf.unstack(x, 2);
}
