import * as tf from '@tensorflow/tfjs';
import { type Matrix, scaleRows, transpose } from '../linalg/matrix.js';
import type { TfModel } from '../models/tf-model.js';
import { stepTf } from '../models/tf-model.js';
import type { JacobianChain } from '../numerics/jacobian-chain.js';
import { SCALAR_FNS } from '../oracle/activations.js';
import { flatState, runSequence, stateWidth, unflatState } from './forward.js';

/** Per-step Jacobians of every model, from tfjs autodiff, plus what the closed form needs. */
export interface ModelJacobians extends JacobianChain {
  /** Pre-activations z_t of the state update, per step ([H] each). */
  readonly preActivations: readonly Float64Array[];
}

/**
 * Probe 3: ∂s_t/∂s_{t−1} and ∂s_t/∂x_t for every t, by autodiff, in one backward pass per
 * batch. Every step's input state is copied S times along the batch axis; copy i's loss is
 * entry i of its output, so the gradients are the Jacobians' rows.
 */
export async function stepJacobians(model: TfModel): Promise<ModelJacobians[]> {
  const { count: C, config } = model;
  const { seqLength: T, inputSize: D, hiddenSize: H } = config;
  const S = stateWidth(model);
  const lstm = config.architecture === 'lstm';
  const tensors = tf.tidy(() => {
    const outs = runSequence(model, model.inputs);
    const states = [tf.zeros([C, 1, S]), ...outs.slice(0, T - 1).map((o) => flatState(o.state))];
    const prev = tf.concat(
      states.map((s) => tf.tile(s, [1, S, 1])),
      1,
    ); // [C, T·S, S]
    const xs = tf.reshape(tf.tile(model.inputs, [1, S, 1, 1]), [C, S, T, D]);
    const xRep = tf.reshape(tf.transpose(xs, [0, 2, 1, 3]), [C, T * S, D]); // step-major, like prev
    const selector = tf.tile(tf.eye(S).reshape([1, S, S]), [C, T, 1]); // picks output i for copy i
    const loss = (s: tf.Tensor, x: tf.Tensor): tf.Scalar => {
      const next = stepTf(model, unflatState(s, H, lstm), x);
      return tf.sum(tf.mul(flatState(next.state), selector));
    };
    const [js, jx] = tf.grads(loss)([prev, xRep]);
    const pre = tf.stack(
      outs.map((o) => o.preActivation),
      1,
    ); // [C, T, 1, H]
    return [js, jx, pre];
  });
  const [js, jx, pre] = await Promise.all(tensors.map((t) => t.data()));
  tensors.forEach((t) => t.dispose());
  const toMatrix = (data: ArrayLike<number>, offset: number, rows: number, cols: number): Matrix => ({
    rows,
    cols,
    data: Float64Array.from({ length: rows * cols }, (_, i) => data[offset + i]),
  });
  return Array.from({ length: C }, (_, c) => ({
    jacobianState: Array.from({ length: T }, (_, t) => toMatrix(js, (c * T + t) * S * S, S, S)),
    jacobianInput: Array.from({ length: T }, (_, t) => toMatrix(jx, (c * T + t) * S * D, S, D)),
    preActivations: Array.from({ length: T }, (_, t) => Float64Array.from(pre.subarray((c * T + t) * H, (c * T + t + 1) * H))),
    outputSize: H,
  }));
}

/**
 * The document's closed form for a vanilla (or residual) step, in tfjs's row-vector layout:
 * z = x·W_ih + h·K, so ∂h_t/∂h_{t−1} = diag(σ'(z_t))·Kᵀ; the document's W_hh is Kᵀ.
 */
export function closedFormJacobian(activation: keyof typeof SCALAR_FNS, preActivation: ArrayLike<number>, recurrentKernel: Matrix): Matrix {
  const slope = Array.from(preActivation, SCALAR_FNS[activation].df);
  return scaleRows(slope, transpose(recurrentKernel));
}
