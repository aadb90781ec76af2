import * as tf from '@tensorflow/tfjs';
import type { TfModel } from '../models/tf-model.js';
import { type FlaggedTemporalProfile, finiteSteps, readProfile } from './gradient-profile.js';
import { flatState, profileFloors, runSequence, stateWidth } from './forward.js';

/**
 * The temporal gradient profile by tfjs autodiff, the reference of gradient-profile.ts (which
 * writes the backward pass out and is what the probes use): zero perturbations δ_t are added to
 * every state, and the gradient of L with respect to δ_t is ∂L/∂s_t. The forward states come
 * from a second, plain run (the tape does not hand them out) to flag a forward overflow.
 * Values are read back once, and norms are taken in float64.
 */
export async function temporalProfileAutodiff(model: TfModel): Promise<FlaggedTemporalProfile> {
  const { count: C, config } = model;
  const { seqLength: T, inputSize: D } = config;
  const S = stateWidth(model);
  const [gx, gd, finite] = tf.tidy(() => {
    const loss = (x: tf.Tensor, d: tf.Tensor): tf.Scalar => {
      const outs = runSequence(model, x, d);
      return tf.sum(outs[T - 1].state.h);
    };
    const [dx, dd] = tf.grads(loss)([model.inputs, tf.zeros([C, 1, T, S])]);
    const states = tf.stack(
      runSequence(model, model.inputs).map((o) => flatState(o.state)),
      2,
    );
    return [dx, dd, finiteSteps(states)];
  });
  return readProfile(gx, gd, finite, C, T, S, D, profileFloors(model));
}
