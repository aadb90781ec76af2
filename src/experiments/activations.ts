import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/types.js';
import type { ActivationStats } from './records.js';

/**
 * The hidden-activation statistics of a run's held-out evaluations (records.ts, ActivationStats):
 * the evidence for the claim that activations drift away from zero as a network trains, so that
 * diag(σ′) shrinks the gradient (the document's "Why γ < 1 Is the Common Case"). Both training
 * engines compute them from here: the kernel from its kept per-step buffers, summed in float64
 * (ActivationSums), the tfjs engine from the forward pass's per-step tensors (activationStatsTensor).
 */

/** |a| above this counts as saturated: there tanh′ = 1 − a² < 0.19, under a fifth of its maximum. */
export const SATURATED_ABS = 0.9;

/**
 * Where a cell's tanh output a is:
 * - 'state': h_t itself (vanilla cell: h_t = tanh(z_t); layer-norm cell: h_t = tanh(LN(z_t)));
 * - 'branch': the residual cell's tanh(z_t), before the input projection is added (h_t =
 *   tanh(z_t) + P·x_t, so 1 − h_t² is not the slope of anything there).
 */
export type TanhOutput = 'state' | 'branch';

/**
 * The cell's tanh output, or null where none is recorded: the LSTM and GRU (their h_t is o·tanh(c_t)
 * or a mix of tanh(n_t) and h_{t−1}, so 1 − h_t² is the slope of nothing in their Jacobian, and a
 * number named tanh′ would mislead; the claims that read these statistics speak of tanh cells
 * only), and a cell with another activation (its slope is not 1 − a²).
 */
export function tanhOutputOf(config: Pick<ModelConfig, 'architecture' | 'activation'>): TanhOutput | null {
  if (config.activation !== 'tanh') return null;
  switch (config.architecture) {
    case 'rnn':
    case 'layernorm':
      return 'state';
    case 'residual':
      return 'branch';
    default:
      return null;
  }
}

/**
 * Running sums of the statistics over values read in blocks, in float64: a held-out set holds up
 * to T·E·H ≈ 3·10⁶ values, more than a float32 sum can add without losing the last digits.
 */
export class ActivationSums {
  private count = 0;
  private abs = 0;
  private slope = 0;
  private saturated = 0;

  /** Adds the values a[from … from + n). */
  add(a: Float32Array, from = 0, n = a.length - from): void {
    let abs = 0,
      slope = 0,
      saturated = 0;
    for (let i = from; i < from + n; i++) {
      const v = a[i];
      const m = Math.abs(v);
      abs += m;
      slope += 1 - v * v;
      if (m > SATURATED_ABS) saturated++;
    }
    this.count += n;
    this.abs += abs;
    this.slope += slope;
    this.saturated += saturated;
  }

  /** The means so far; a RangeError before any value was added (a mean of nothing is no statistic). */
  stats(): ActivationStats {
    if (this.count === 0) throw new RangeError('ActivationSums.stats: no value was added');
    return { meanAbs: this.abs / this.count, meanSlope: this.slope / this.count, saturatedShare: this.saturated / this.count };
  }
}

/** Rows of activationStatsTensor's result, in ActivationStats' field order. */
const STAT_ROWS = 3;

/**
 * The statistics of C models from their tanh outputs a [T, E, C, H] (steps, sequences, models,
 * units): [3·C] flat, rows mean |a|, mean tanh′ and the share of |a| > SATURATED_ABS. Reduced one
 * axis at a time, so no float32 sum runs over more than max(T, E, H) terms (tfjs sums a reduced
 * block in one float32 loop). Not tidied: call inside tf.tidy.
 */
export function activationStatsTensor(a: tf.Tensor): tf.Tensor {
  const [T, E, , H] = a.shape as [number, number, number, number];
  const mean = (v: tf.Tensor): tf.Tensor => tf.div(tf.sum(tf.sum(tf.sum(v, 3), 1), 0), T * E * H);
  const abs = tf.abs(a);
  return tf.concat([mean(abs), mean(tf.sub(1, tf.square(a))), mean(tf.cast(tf.greater(abs, SATURATED_ABS), 'float32'))]);
}

/** Model c's statistics from activationStatsTensor's values (`data` starting at `offset`), for C models. */
export function readActivationStats(data: ArrayLike<number>, offset: number, C: number, c: number): ActivationStats {
  const at = (row: number): number => data[offset + row * C + c];
  return { meanAbs: at(0), meanSlope: at(1), saturatedShare: at(2) };
}

/** Values activationStatsTensor gives for C models. */
export const activationStatsLength = (C: number): number => STAT_ROWS * C;
