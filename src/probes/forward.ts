import * as tf from '@tensorflow/tfjs';
import { backendUnderflowFloor } from '../backend/float32.js';
import type { ModelConfig } from '../config/types.js';
import { gateCount } from '../kernels/recurrent.js';
import { inputProjection, type TfModel, type TfState, type TfStepOutput, stepTf, unstackTime, zeroState } from '../models/tf-model.js';

/** Size of the state a probe perturbs: [h; c] for the LSTM, h otherwise. */
export function stateWidth(model: TfModel): number {
  return model.config.architecture === 'lstm' ? 2 * model.config.hiddenSize : model.config.hiddenSize;
}

/**
 * Products summed per entry by a step's widest dot product, forward or backward: gates·H (W_hh,
 * and W_ih in the backward pass) plus max(D, H) (the input projection forward, the residual
 * projection backward). The `terms` of the underflow floor of the profile and demo probes.
 */
export function productsPerEntry(config: Pick<ModelConfig, 'architecture' | 'hiddenSize' | 'inputSize'>): number {
  return gateCount(config.architecture) * config.hiddenSize + Math.max(config.inputSize, config.hiddenSize);
}

/**
 * The underflow floors (numerics/log-norm.ts underflowFloor) of ∂L/∂s_t (S wide) and of
 * ∂L/∂x_t (D wide) on the active tfjs backend: far below float32's normal range where the
 * backend keeps subnormals, and productsPerEntry·√width times the smallest normal where it
 * flushes them (tfjs-node).
 */
export function profileFloors(model: TfModel): { readonly state: number; readonly input: number } {
  const terms = productsPerEntry(model.config);
  return { state: backendUnderflowFloor(stateWidth(model), terms), input: backendUnderflowFloor(model.config.inputSize, terms) };
}

/** Adds a perturbation [C, B, S] to a state (split into its h and c parts). */
export function perturb(state: TfState, delta: tf.Tensor, H: number): TfState {
  if (state.c === null) return { h: tf.add(state.h, delta), c: null };
  return { h: tf.add(state.h, tf.slice(delta, [0, 0, 0], [-1, -1, H])), c: tf.add(state.c, tf.slice(delta, [0, 0, H], [-1, -1, H])) };
}

/** Concatenates a state into one [C, B, S] tensor. */
export function flatState(state: TfState): tf.Tensor {
  return state.c === null ? state.h : tf.concat([state.h, state.c], 2);
}

/** Splits a [C, B, S] tensor into a state. */
export function unflatState(flat: tf.Tensor, H: number, lstm: boolean): TfState {
  if (!lstm) return { h: flat, c: null };
  return { h: tf.slice(flat, [0, 0, 0], [-1, -1, H]), c: tf.slice(flat, [0, 0, H], [-1, -1, H]) };
}

/**
 * Runs the recurrence over x ([C, B, T, D]) and returns every step's output. `deltas`,
 * when given ([C, B, T, S]), are added to each new state: zeros whose gradient is ∂L/∂s_t.
 * Not tidied: call inside tf.tidy or a gradient function.
 */
export function runSequence(model: TfModel, x: tf.Tensor, deltas?: tf.Tensor, steps: number = x.shape[2] as number): TfStepOutput[] {
  const xs = unstackTime(x);
  // With the depthwise mat-vec (wasm, C > 1), x·W_ih + b_ih of all steps is one op, and one in the backward pass.
  const projected = model.matVec ? unstackTime(inputProjection(model, steps === x.shape[2] ? x : tf.slice(x, [0, 0, 0, 0], [-1, -1, steps, -1]))) : null;
  const ds = deltas ? unstackTime(deltas) : null;
  let state = zeroState(model, x.shape[1] as number);
  const outputs: TfStepOutput[] = [];
  for (let t = 0; t < steps; t++) {
    const out = stepTf(model, state, xs[t], projected?.[t]);
    state = ds ? perturb(out.state, ds[t], model.config.hiddenSize) : out.state;
    outputs.push({ ...out, state });
  }
  return outputs;
}
