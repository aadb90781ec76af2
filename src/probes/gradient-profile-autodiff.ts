import * as tf from '@tensorflow/tfjs';
import type { TfModel } from '../models/tf-model.js';
import { type TemporalProfile, readProfile } from './gradient-profile.js';
import { runSequence, stateWidth } from './forward.js';

/**
 * The temporal gradient profile by tfjs autodiff, the reference of gradient-profile.ts (which
 * writes the backward pass out and is what the probes use): zero perturbations δ_t are added to
 * every state, and the gradient of L with respect to δ_t is ∂L/∂s_t. Values are read back once,
 * and norms are taken in float64.
 */
export async function temporalProfileAutodiff(model: TfModel): Promise<TemporalProfile> {
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
  return readProfile(gx, gd, C, T, S, D);
}
