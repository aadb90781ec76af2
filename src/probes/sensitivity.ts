import * as tf from '@tensorflow/tfjs';
import type { TfModel } from '../models/tf-model.js';
import { type Log10Series, log10NormOf } from '../numerics/log-norm.js';
import { runSequence } from './forward.js';

/**
 * Probe 7: sensitivity of the final hidden state to every input, log10 ‖∂h_{T−1}/∂x_t‖_F,
 * in one backward pass (H copies of the sequence, copy i differentiating output unit i).
 */
export async function finalStateSensitivity(model: TfModel): Promise<Log10Series[]> {
  const { count: C } = model;
  const { seqLength: T, inputSize: D, hiddenSize: H } = model.config;
  const grad = tf.tidy(() => {
    const copies = tf.tile(model.inputs, [1, H, 1, 1]); // [C, H, T, D]
    const selector = tf.eye(H).reshape([1, H, H]);
    const loss = (x: tf.Tensor): tf.Scalar => tf.sum(tf.mul(runSequence(model, x)[T - 1].state.h, selector));
    return tf.grad(loss)(copies);
  });
  const values = await grad.data();
  grad.dispose();
  return Array.from({ length: C }, (_, c) => {
    const log10: (number | null)[] = [];
    const underflow: boolean[] = [];
    for (let t = 0; t < T; t++) {
      // Frobenius norm over the H rows (copies) at step t.
      const rows = new Float32Array(H * D);
      for (let i = 0; i < H; i++) rows.set(values.subarray(((c * H + i) * T + t) * D, ((c * H + i) * T + t + 1) * D), i * D);
      const n = log10NormOf(rows);
      log10.push(n.log10);
      underflow.push(n.underflow);
    }
    return { log10, underflow };
  });
}

/**
 * Probe 7, finite form (hidden-state collapse): the relative change of h_{T−1} when the
 * first `prefix` inputs are replaced by `replacement` ([C, 1, prefix, D]).
 */
export async function finalStateChange(model: TfModel, replacement: tf.Tensor): Promise<number[]> {
  const { count: C } = model;
  const { seqLength: T, hiddenSize: H } = model.config;
  const prefix = replacement.shape[2] as number;
  const both = tf.tidy(() => {
    const rest = tf.slice(model.inputs, [0, 0, prefix, 0], [-1, -1, -1, -1]);
    const altered = tf.concat([replacement, rest], 2);
    const hA = runSequence(model, model.inputs)[T - 1].state.h;
    const hB = runSequence(model, altered)[T - 1].state.h;
    return tf.concat([hA, hB], 1); // [C, 2, H]
  });
  const v = await both.data();
  both.dispose();
  return Array.from({ length: C }, (_, c) => {
    let diff = 0,
      ref = 0;
    for (let i = 0; i < H; i++) {
      const a = v[c * 2 * H + i],
        b = v[(c * 2 + 1) * H + i];
      diff += (a - b) ** 2;
      ref += a * a;
    }
    return Math.sqrt(diff) / Math.max(Math.sqrt(ref), Number.MIN_VALUE);
  });
}
