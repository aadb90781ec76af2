import * as tf from '@tensorflow/tfjs';
import { activationStatsTensor, tanhOutputOf } from './activations.js';
import { bptt, forwardPass } from './bptt.js';
import { type Adam, summarizeGradients } from './optimizer.js';
import { type TrainableModel, weightsOf } from './trainable.js';

/**
 * One Adam update of C models, and the forward pass used for evaluation. Everything is
 * tidied; what must be read back is returned as tensors and read once per probe step.
 */

/** Columns of a step's stats row: loss, pre-clip global norm, then (norm, mean|g|, max|g|) per trainable tensor. */
export const STAT_COLUMNS_BEFORE_PARAMS = 2;

/** Max |v| and Σ (v / max)² along the last axis: a norm that cannot underflow when squared. */
export function scaledNorm(v: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const abs = tf.abs(v);
  const maxAbs = tf.max(abs, -1);
  const safe = tf.where(tf.greater(maxAbs, 0), maxAbs, tf.onesLike(maxAbs));
  return [maxAbs, tf.sum(tf.square(tf.div(abs, tf.expandDims(safe, -1))), -1)];
}

export interface StepOutput {
  /** [C, 2 + 3P] (see STAT_COLUMNS_BEFORE_PARAMS). */
  readonly stats: tf.Tensor;
  /**
   * Probe steps only, flat, each block [T, C]: max and scaled Σ² of ∂L/∂s_t, then of step t's
   * term h_{t−1}ᵀ·δu_t of ∂L/∂W_hh (see readProbes).
   */
  readonly probe: tf.Tensor | null;
}

/**
 * Computes the gradient of Σ_c MSE_c on (x [C, B, T, D], y [C, B, O]) by BPTT, records the
 * detector's statistics before clipping, clips each model to GRAD_CLIP_NORM and applies Adam.
 */
export function trainStep(model: TrainableModel, adam: Adam, x: tf.Tensor, y: tf.Tensor, instrument: boolean): StepOutput {
  const C = model.count;
  const [stats, probe] = tf.tidy((): tf.Tensor[] => {
    const r = bptt(model, weightsOf(model), x, y);
    const summary = summarizeGradients(r.grads);
    const stats = tf.concat([tf.reshape(r.loss, [C, 1]), tf.reshape(summary.globalNorm, [C, 1]), summary.stats], 1);
    let probe: tf.Tensor | null = null;
    if (instrument) {
      const [T, , B] = r.du.shape as number[];
      const gState = tf.reshape(r.gradState, [T, C, -1]);
      // One batched product over the T·C small terms (splitting it would cost T·C kernels).
      const terms = tf.matMul(tf.reshape(r.hPrev, [T * C, B, -1]), tf.reshape(r.du, [T * C, B, -1]), true, false);
      probe = tf.concat([...scaledNorm(gState), ...scaledNorm(tf.reshape(terms, [T, C, -1]))].map((t) => tf.reshape(t, [-1])));
    }
    adam.apply(r.grads, summary.clipScale);
    return probe ? [stats, probe] : [stats];
  });
  return { stats, probe: probe ?? null };
}

/**
 * Forward pass on an eval set stacked with its prefix-redrawn copy ([C, 2E, T, D]): returns
 * flat [per-model MSE on the first E (C), collapse ratio (C), predictions on the first E (C·E·O)],
 * then for a tanh cell (activations.ts, tanhOutputOf) the activation statistics of the first E
 * (activationStatsTensor, 3·C).
 */
export function evalTensors(model: TrainableModel, x: tf.Tensor, y: tf.Tensor, E: number): tf.Tensor {
  const { output, hLast, steps } = forwardPass(model, weightsOf(model), x);
  const C = model.count;
  const pred = tf.slice(output, [0, 0, 0], [-1, E, -1]);
  const loss = tf.mean(tf.squaredDifference(pred, tf.slice(y, [0, 0, 0], [-1, E, -1])), [1, 2]);
  const hA = tf.slice(hLast, [0, 0, 0], [-1, E, -1]);
  const hB = tf.slice(hLast, [0, E, 0], [-1, E, -1]);
  const collapse = tf.sqrt(tf.div(tf.sum(tf.squaredDifference(hA, hB), [1, 2]), tf.maximum(tf.sum(tf.square(hA), [1, 2]), 1e-30)));
  const parts = [tf.reshape(loss, [C]), tf.reshape(collapse, [C]), tf.reshape(pred, [-1])];
  if (tanhOutputOf(model.config) !== null) {
    // Steps are in the loop's layout [B, C, H]: stacked [T, 2E, C, H], the held-out set is the first E rows.
    const a = tf.stack(steps.map((s) => s.activation!));
    parts.push(activationStatsTensor(tf.slice(a, [0, 0, 0, 0], [-1, E, -1, -1])));
  }
  return tf.concat(parts);
}
