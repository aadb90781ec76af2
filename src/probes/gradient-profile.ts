import * as tf from '@tensorflow/tfjs';
import { type CellForward, cellBackward, cellForward } from '../models/cells-bptt.js';
import { type MatVecWeights, type TfModel, batchedMatVec, batchedMatVecTransposed, inputProjection } from '../models/tf-model.js';
import { type FlaggedLog10Series, type Float32Overflow, type Log10Series, markOverflow, rowLog10Norms } from '../numerics/log-norm.js';
import { profileFloors, stateWidth } from './forward.js';

/** The quantities of the temporal profile in which float32 can overflow. */
export type ProfileQuantity = 'forward state s_t' | 'backward ∂L/∂s_t' | 'backward ∂L/∂x_t';

/**
 * ‖∂L/∂s_t‖ and ‖∂L/∂x_t‖ for t = 0..T−1 of each model, L = Σ h_{T−1}; in log10 with underflow
 * flagged, and overflow flagged (log10 NaN) by every engine that tracks it.
 */
export interface TemporalProfile {
  readonly gradState: readonly Log10Series[];
  readonly gradInput: readonly Log10Series[];
  /**
   * Per model, where float32 first overflowed, or null: the earliest step of the forward pass
   * whose state s_t holds ±∞ or NaN, else the latest step of the backward pass (which runs from
   * t = T−1 down) whose gradient does. Absent only from engines that do not track overflow.
   */
  readonly firstOverflow?: ReadonlyArray<Float32Overflow<ProfileQuantity> | null>;
}

/** A TemporalProfile with overflow tracked: what temporalProfile and temporalProfileAutodiff return. */
export interface FlaggedTemporalProfile extends TemporalProfile {
  readonly gradState: readonly FlaggedLog10Series[];
  readonly gradInput: readonly FlaggedLog10Series[];
  readonly firstOverflow: ReadonlyArray<Float32Overflow<ProfileQuantity> | null>;
}

/**
 * Probe 1: the temporal gradient profile of every model in the batch from ONE backward pass,
 * written out step by step with the cells of models/cells-bptt.ts (the training loop's) instead
 * of tfjs's gradient tape: the tape keeps every step's tensors and closures alive, and its cost
 * grew faster than T. specs/engine/profile.test.ts checks it against the autodiff version
 * (gradient-profile-autodiff.ts) for every cell on both backends. Values are read back once,
 * and norms are taken in float64.
 */
export async function temporalProfile(model: TfModel): Promise<FlaggedTemporalProfile> {
  const { count: C, config } = model;
  const { seqLength: T, inputSize: D } = config;
  const S = stateWidth(model);
  const [gx, gs, finite] = tf.tidy(() => profileTensors(model));
  return readProfile(gx, gs, finite, C, T, S, D, profileFloors(model));
}

/** [C, T] bool: true where every entry of the state s_t ([C, B, T, S]) is finite. Not tidied. */
export function finiteSteps(states: tf.Tensor): tf.Tensor {
  return tf.all(tf.isFinite(states), [1, 3]);
}

/**
 * Reads ∂L/∂x [C, 1, T, D], ∂L/∂s [C, 1, T, S] and the forward pass's finite steps [C, T] once
 * (disposing them), takes every row's log10 norm in float64, flags underflow below the backend's
 * floors (profileFloors) and flags overflow (overflowFlags).
 */
export async function readProfile(
  gx: tf.Tensor,
  gs: tf.Tensor,
  finite: tf.Tensor,
  C: number,
  T: number,
  S: number,
  D: number,
  floors: { readonly state: number; readonly input: number },
): Promise<FlaggedTemporalProfile> {
  const [x, d, f] = await Promise.all([gx.data(), gs.data(), finite.data()]);
  for (const tensor of [gx, gs, finite]) tensor.dispose();
  const gradState: FlaggedLog10Series[] = [];
  const gradInput: FlaggedLog10Series[] = [];
  const firstOverflow: (Float32Overflow<ProfileQuantity> | null)[] = [];
  for (let c = 0; c < C; c++) {
    const flagged = overflowFlags(
      rowLog10Norms(d, T, S, c * T * S, S, floors.state),
      rowLog10Norms(x, T, D, c * T * D, D, floors.input),
      Array.from(f.subarray(c * T, (c + 1) * T), Boolean),
    );
    gradState.push(flagged.gradState);
    gradInput.push(flagged.gradInput);
    firstOverflow.push(flagged.firstOverflow);
  }
  return { gradState, gradInput, firstOverflow };
}

/** One model's part of a TemporalProfile. */
export interface ModelProfile {
  readonly gradState: FlaggedLog10Series;
  readonly gradInput: FlaggedLog10Series;
  readonly firstOverflow: Float32Overflow<ProfileQuantity> | null;
}

/**
 * Marks every value computed from an overflowed one. A forward overflow poisons every value but
 * the seed ∂L/∂s_{T−1}: each ∂L/∂s_t (t < T−1) passes through J_{T−1} = ∂s_{T−1}/∂s_{T−2}, and
 * each ∂L/∂x_t through σ′ at step t, evaluated at or after the overflowed state (on cpu and wasm
 * a NaN there can turn into a 0 mask and read as underflow, or into finite wrong values).
 * A backward overflow at step t poisons ∂L/∂s and ∂L/∂x at t and every earlier step.
 */
export function overflowFlags(gradState: FlaggedLog10Series, gradInput: FlaggedLog10Series, forwardFinite: readonly boolean[]): ModelProfile {
  const T = gradState.log10.length;
  const forward = forwardFinite.indexOf(false);
  if (forward >= 0) {
    return {
      gradState: markOverflow(gradState, (t) => t < T - 1),
      gradInput: markOverflow(gradInput, () => true),
      firstOverflow: { quantity: 'forward state s_t', step: forward },
    };
  }
  const backward = gradState.overflow.lastIndexOf(true);
  if (backward >= 0) {
    return {
      gradState: markOverflow(gradState, (t) => t <= backward),
      gradInput: markOverflow(gradInput, (t) => t <= backward),
      firstOverflow: { quantity: 'backward ∂L/∂s_t', step: backward },
    };
  }
  const input = gradInput.overflow.lastIndexOf(true);
  return { gradState, gradInput, firstOverflow: input >= 0 ? { quantity: 'backward ∂L/∂x_t', step: input } : null };
}

/** ∂L/∂x [C, 1, T, D] and ∂L/∂s [C, 1, T, S] of L = Σ h_{T−1}, and the forward pass's finite steps [C, T]. Not tidied. */
function profileTensors(model: TfModel): [tf.Tensor, tf.Tensor, tf.Tensor] {
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
  const pSteps = model.wProj ? tf.unstack(tf.reshape(tf.add(tf.matMul(tf.reshape(x, [C, B * T, -1]), model.wProj), model.bProj!), [C, B, T, H]), 2) : null;
  const constants = {
    lnGain: model.lnGain ?? undefined,
    lnBias: model.lnBias ?? undefined,
    bHn: gru ? tf.slice(model.bHh, [0, 0, 2 * H], [-1, -1, H]) : undefined,
  };
  let h = tf.zeros([C, B, H]);
  let c = architecture === 'lstm' ? tf.zeros([C, B, H]) : null;
  const steps: Pick<CellForward, 'h' | 'c' | 'cache'>[] = [];
  // One tidy scope per step, forward and backward: only what later steps read outlives it, and a
  // cache is disposed once its backward step has run. Keeping every step's intermediates alive to
  // the end made each minor GC copy O(T) tensors, and the pass grew faster than T on wasm.
  for (let t = 0; t < T; t++) {
    const [hPrev, cPrev] = [h, c];
    const step = tf.tidy(() => {
      const u = gates(batchedMatVec(hPrev, model.wHh, model.matVec?.wHh));
      const s = cellForward(
        config,
        constants,
        aSteps.map((g) => g[t]),
        u,
        hPrev,
        cPrev,
        pSteps ? pSteps[t] : null,
      );
      return { h: s.h, c: s.c ?? [], cache: { ...s.cache } };
    });
    for (const g of aSteps) g[t].dispose();
    steps.push({ h: step.h, c: c === null ? null : (step.c as tf.Tensor), cache: step.cache });
    h = step.h;
    c = steps[t].c;
  }
  const outlive = new Set(steps.flatMap((s) => (s.c ? [s.h, s.c] : [s.h])));
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
    const [dhIn, dcIn] = [dh, dc];
    const out = tf.tidy(() => {
      const back = cellBackward(config, constants, steps[t].cache, dhIn, dcIn);
      const viaU = t > 0 ? backHh(back.du) : null;
      return {
        dState: dcIn ? tf.concat([dhIn, dcIn], 2) : dhIn,
        da: back.da,
        dh: viaU === null ? [] : back.dhDirect ? tf.add(viaU, back.dhDirect) : viaU,
        dc: t > 0 && back.dcPrev ? back.dcPrev : [],
      };
    });
    for (const v of Object.values(steps[t].cache)) if (!outlive.has(v)) v.dispose();
    dcIn?.dispose();
    dState[t] = out.dState;
    dA[t] = out.da;
    if (t > 0) {
      dh = out.dh as tf.Tensor;
      dc = dcIn ? (out.dc as tf.Tensor) : null;
    }
  }
  // ∂L/∂x_t = ∂L/∂a_t·W_ihᵀ (+ ∂L/∂h_t·W_projᵀ through the residual projection), all steps in one product.
  const flat = (list: tf.Tensor[]): tf.Tensor => tf.reshape(tf.stack(list, 2), [C, B * T, -1]);
  let dx = backThrough(model.wIh, model.matVec?.wIh)(flat(dA));
  if (model.wProj) dx = tf.add(dx, tf.matMul(flat(dState), tf.transpose(model.wProj, [0, 2, 1])));
  const states = tf.stack(
    steps.map((s) => (s.c ? tf.concat([s.h, s.c], 2) : s.h)),
    2,
  );
  return [tf.reshape(dx, [C, B, T, -1]), tf.stack(dState, 2), finiteSteps(states)];
}
