import * as tf from '@tensorflow/tfjs';
import { type TrainableModel, type TrainableName, forward, mseLoss } from './trainable.js';

/**
 * The reference the hand-written BPTT is checked against: tfjs autodiff through the probes'
 * own cells (stepTf), with the probes' tricks for the two per-step quantities: zero
 * perturbations added to each state (their gradients are ∂L/∂s_t) and one copy of W_hh per
 * step (their gradients are the per-step terms of ∂L/∂W_hh). Slow; used by the specs only.
 */
export interface ReferenceGradients {
  readonly loss: tf.Tensor; // [C]
  /** In the model's parameter order. */
  readonly grads: tf.Tensor[];
  /** ∂L/∂s_t, [C, B, T, S]. */
  readonly gradState: tf.Tensor;
  /** Gradient of each step's W_hh copy, [T, C, H, G·H]. */
  readonly wHhTerms: tf.Tensor;
}

/** Autodiff gradients of Σ_c MSE_c on (x [C, B, T, D], y [C, B, O]). Not tidied. */
export function referenceGradients(model: TrainableModel, x: tf.Tensor, y: tf.Tensor): ReferenceGradients {
  const names = model.params.map((p) => p.name);
  const vars = model.params.map((p) => p.variable as tf.Tensor);
  const hh = names.indexOf('weight_hh');
  const [C, B, T] = x.shape as [number, number, number, number];
  const S = model.config.architecture === 'lstm' ? 2 * model.config.hiddenSize : model.config.hiddenSize;
  const copies = tf.tile(tf.expandDims(vars[hh], 0), [T, 1, 1, 1]);
  const deltas = tf.zeros([C, B, T, S]);
  const others = vars.filter((_, i) => i !== hh);
  let loss: tf.Tensor | null = null;
  const f = (...ins: tf.Tensor[]): tf.Scalar => {
    const ws = [...ins.slice(0, hh), vars[hh], ...ins.slice(hh, others.length)];
    const weights = new Map<TrainableName, tf.Tensor>(names.map((n, i) => [n, ws[i]]));
    const taps = { wHhSteps: tf.unstack(ins[others.length]), deltas: tf.unstack(ins[others.length + 1], 2) };
    loss = tf.keep(mseLoss(forward(model, weights, x, taps).output, y));
    return tf.sum(loss);
  };
  const g = tf.grads(f)([...others, copies, deltas]);
  const wHhTerms = g[others.length];
  const grads = [...g.slice(0, hh), tf.sum(wHhTerms, 0), ...g.slice(hh, others.length)];
  return { loss: loss!, grads, gradState: g[others.length + 1], wHhTerms };
}
