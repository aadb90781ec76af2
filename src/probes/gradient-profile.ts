import * as tf from '@tensorflow/tfjs';
import { type CellForward, cellBackward, cellForward } from '../models/cells-bptt.js';
import { type MatVecWeights, type TfModel, batchedMatVec, batchedMatVecTransposed, inputProjection } from '../models/tf-model.js';
import { type Log10Series, rowLog10Norms } from '../numerics/log-norm.js';
import { stateWidth } from './forward.js';

/** ‖∂L/∂s_t‖ and ‖∂L/∂x_t‖ for t = 0..T−1 of each model, L = Σ h_{T−1}; in log10 with underflow flagged. */
export interface TemporalProfile {
  readonly gradState: readonly Log10Series[];
  readonly gradInput: readonly Log10Series[];
}

/**
 * Probe 1: the temporal gradient profile of every model in the batch from ONE backward pass,
 * written out step by step with the cells of models/cells-bptt.ts (the training loop's) instead
 * of tfjs's gradient tape: the tape keeps every step's tensors and closures alive, and its cost
 * grew faster than T. specs/engine/profile.test.ts checks it against the autodiff version
 * (gradient-profile-autodiff.ts) for every cell on both backends. Values are read back once,
 * and norms are taken in float64.
 */
export async function temporalProfile(model: TfModel): Promise<TemporalProfile> {
  const { count: C, config } = model;
  const { seqLength: T, inputSize: D } = config;
  const S = stateWidth(model);
  const [gx, gs] = tf.tidy(() => profileTensors(model));
  return readProfile(gx, gs, C, T, S, D);
}

/** Reads ∂L/∂x [C, 1, T, D] and ∂L/∂s [C, 1, T, S] once (disposing them) and takes every row's log10 norm in float64. */
export async function readProfile(gx: tf.Tensor, gs: tf.Tensor, C: number, T: number, S: number, D: number): Promise<TemporalProfile> {
  const [x, d] = await Promise.all([gx.data(), gs.data()]);
  gx.dispose();
  gs.dispose();
  const gradState: Log10Series[] = [];
  const gradInput: Log10Series[] = [];
  for (let c = 0; c < C; c++) {
    gradState.push(rowLog10Norms(d, T, S, c * T * S));
    gradInput.push(rowLog10Norms(x, T, D, c * T * D));
  }
  return { gradState, gradInput };
}

/** ∂L/∂x [C, 1, T, D] and ∂L/∂s [C, 1, T, S] of L = Σ h_{T−1}. Not tidied. */
function profileTensors(model: TfModel): [tf.Tensor, tf.Tensor] {
  const { config, count: C } = model;
  const { seqLength: T, hiddenSize: H, architecture } = config;
  const x = model.inputs; // [C, B, T, D]
  const B = x.shape[1] as number;
  const G = (model.wHh.shape[2] as number) / H;
  const gru = architecture === 'gru';
  const gates = (v: tf.Tensor): tf.Tensor[] => (G === 1 ? [v] : tf.split(v, G, -1));
  // The cells take b_hh folded into a, except the GRU's b_hn (inside r·(W_hn·h + b_hn)).
  const hhFolded = gru ? tf.concat([tf.slice(model.bHh, [0, 0, 0], [-1, -1, 2 * H]), tf.zeros([C, 1, H])], 2) : model.bHh;
  const a = tf.add(inputProjection(model, x), tf.reshape(hhFolded, [C, 1, 1, G * H])); // [C, B, T, G·H]
  const aSteps = gates(a).map((g) => tf.unstack(g, 2)); // [gate][t] → [C, B, H]
  const pSteps = model.wProj
    ? tf.unstack(tf.reshape(tf.add(tf.matMul(tf.reshape(x, [C, B * T, -1]), model.wProj), model.bProj!), [C, B, T, H]), 2)
    : null;
  const constants = { lnGain: model.lnGain ?? undefined, lnBias: model.lnBias ?? undefined, bHn: gru ? tf.slice(model.bHh, [0, 0, 2 * H], [-1, -1, H]) : undefined };
  let h = tf.zeros([C, B, H]);
  let c = architecture === 'lstm' ? tf.zeros([C, B, H]) : null;
  const steps: CellForward[] = [];
  for (let t = 0; t < T; t++) {
    const u = gates(batchedMatVec(h, model.wHh, model.matVec?.wHh));
    const step = cellForward(config, constants, aSteps.map((g) => g[t]), u, h, c, pSteps ? pSteps[t] : null);
    steps.push(step);
    h = step.h;
    c = step.c;
  }
  // Without the depthwise path, Wᵀ is made once: wasm sends a transposed matMul to a naive loop.
  const backThrough = (w: tf.Tensor, fast: MatVecWeights | undefined): ((v: tf.Tensor) => tf.Tensor) => {
    if (fast) return (v) => batchedMatVecTransposed(v, w, fast);
    const wT = tf.transpose(w, [0, 2, 1]);
    return (v) => tf.matMul(v, wT);
  };
  const backHh = backThrough(model.wHh, model.matVec?.wHh);
  let dh = tf.onesLike(h);
  let dc = c ? tf.zerosLike(c) : null;
  const dState: tf.Tensor[] = new Array(T);
  const dA: tf.Tensor[] = new Array(T);
  for (let t = T - 1; t >= 0; t--) {
    dState[t] = dc ? tf.concat([dh, dc], 2) : dh;
    const back = cellBackward(config, constants, steps[t].cache, dh, dc);
    dA[t] = back.da;
    if (t > 0) {
      const viaU = backHh(back.du);
      dh = back.dhDirect ? tf.add(viaU, back.dhDirect) : viaU;
      dc = back.dcPrev;
    }
  }
  // ∂L/∂x_t = ∂L/∂a_t·W_ihᵀ (+ ∂L/∂h_t·W_projᵀ through the residual projection), all steps in one product.
  const flat = (list: tf.Tensor[]): tf.Tensor => tf.reshape(tf.stack(list, 2), [C, B * T, -1]);
  let dx = backThrough(model.wIh, model.matVec?.wIh)(flat(dA));
  if (model.wProj) dx = tf.add(dx, tf.matMul(flat(dState), tf.transpose(model.wProj, [0, 2, 1])));
  return [tf.reshape(dx, [C, B, T, -1]), tf.stack(dState, 2)];
}
