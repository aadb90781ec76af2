import * as tf from '@tensorflow/tfjs';
import type { TfModel } from '../models/tf-model.js';
import { log10NormOf } from '../numerics/log-norm.js';
import { runSequence } from './forward.js';

/** The statistics the document's detector logs for one parameter. */
export interface ParamGradStats {
  readonly norm: number;
  readonly log10Norm: number | null;
  readonly meanAbs: number;
  readonly maxAbs: number;
}

/** PyTorch-style names, so the detector's `'weight_hh' in name` test reads the same here. */
export type ParamName = 'weight_ih' | 'weight_hh' | 'bias_ih' | 'bias_hh';

/**
 * Probe 6: per-parameter gradient statistics of L = Σ h_{T−1} (or a given loss of the
 * outputs), one backward pass for all models. Returns one record per model.
 */
export async function paramGradStats(
  model: TfModel,
  loss: (outputs: tf.Tensor[]) => tf.Scalar = (o) => tf.sum(o[o.length - 1]),
): Promise<Record<ParamName, ParamGradStats>[]> {
  const { count: C } = model;
  const grads = tf.tidy(() => {
    const f = (wIh: tf.Tensor, wHh: tf.Tensor, bIh: tf.Tensor, bHh: tf.Tensor): tf.Scalar => {
      const swapped = { ...model, matVec: null, wIh: wIh, wHh: wHh, bIh: bIh, bHh: bHh as tf.Tensor };
      return loss(runSequence(swapped, model.inputs).map((o) => o.state.h));
    };
    return tf.grads(f)([model.wIh, model.wHh, model.bIh, model.bHh]);
  });
  const data = await Promise.all(grads.map((g) => g.data()));
  grads.forEach((g) => g.dispose());
  const names: ParamName[] = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];
  return Array.from({ length: C }, (_, c) => {
    const record = {} as Record<ParamName, ParamGradStats>;
    names.forEach((name, k) => {
      const size = data[k].length / C;
      record[name] = statsOf((data[k] as Float32Array).subarray(c * size, (c + 1) * size));
    });
    return record;
  });
}

export function statsOf(values: Float32Array): ParamGradStats {
  let sumAbs = 0,
    maxAbs = 0;
  for (const v of values) {
    sumAbs += Math.abs(v);
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  const { log10 } = log10NormOf(values);
  return { norm: log10 === null ? 0 : 10 ** log10, log10Norm: log10, meanAbs: sumAbs / values.length, maxAbs };
}
