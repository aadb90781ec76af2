import * as tf from '@tensorflow/tfjs';
import type { TfModel } from '../models/tf-model.js';
import { type Log10Series, rowLog10Norms } from '../numerics/log-norm.js';
import { runSequence, stateWidth } from './forward.js';

/** ‖∂L/∂s_t‖ and ‖∂L/∂x_t‖ for t = 0..T−1 of each model, L = Σ h_{T−1}; in log10 with underflow flagged. */
export interface TemporalProfile {
  readonly gradState: readonly Log10Series[];
  readonly gradInput: readonly Log10Series[];
}

/**
 * Probe 1: the temporal gradient profile of every model in the batch from ONE backward
 * pass. Zero perturbations δ_t are added to every state; the gradient of L with respect
 * to δ_t is ∂L/∂s_t. Values are read back once, and norms are taken in float64.
 */
export async function temporalProfile(model: TfModel): Promise<TemporalProfile> {
  const { count: C, config } = model;
  const { seqLength: T, inputSize: D } = config;
  const S = stateWidth(model);
  const [gx, gd] = tf.tidy(() => {
    const loss = (x: tf.Tensor, d: tf.Tensor): tf.Scalar => {
      const outs = runSequence(model, x, d);
      return tf.sum(outs[T - 1].state.h);
    };
    return tf.grads(loss)([model.inputs, tf.zeros([C, 1, T, S])]);
  });
  const [x, d] = await Promise.all([gx.data(), gd.data()]);
  gx.dispose();
  gd.dispose();
  const gradState: Log10Series[] = [];
  const gradInput: Log10Series[] = [];
  for (let c = 0; c < C; c++) {
    gradState.push(rowLog10Norms(d, T, S, c * T * S));
    gradInput.push(rowLog10Norms(x, T, D, c * T * D));
  }
  return { gradState, gradInput };
}
