import * as tf from '@tensorflow/tfjs';
import type { TfModel } from '../models/tf-model.js';
import { runSequence } from './forward.js';
import type { Activation } from '../config/types.js';
import { SCALAR_FNS } from '../oracle/activations.js';

/** How saturated a cell is: statistics of σ'(z) over all units and steps. */
export interface SaturationStats {
  readonly meanSlope: number;
  readonly minSlope: number;
  /** Share of units with σ'(z) < 0.1 (deep in the flat part of tanh). */
  readonly fractionSaturated: number;
  /** Mean |z|. */
  readonly meanAbsPreActivation: number;
}

/** Probe 5: σ' statistics of pre-activations (per step arrays from stepJacobians or the oracle). */
export function saturationStats(activation: Activation, preActivations: readonly ArrayLike<number>[]): SaturationStats {
  const df = SCALAR_FNS[activation].df;
  let sum = 0,
    min = Infinity,
    saturated = 0,
    absSum = 0,
    n = 0;
  for (const z of preActivations) {
    for (let i = 0; i < z.length; i++) {
      const s = df(z[i]);
      sum += s;
      min = Math.min(min, s);
      if (s < 0.1) saturated++;
      absSum += Math.abs(z[i]);
      n++;
    }
  }
  return { meanSlope: sum / n, minSlope: min, fractionSaturated: saturated / n, meanAbsPreActivation: absSum / n };
}

/**
 * Probe 5 on tfjs: the pre-activations of every step of every model in the batch (one
 * forward pass, read back once), as saturationStats takes them: result[c][t] is z_t of model c.
 */
export async function preActivationsOf(model: TfModel): Promise<Float32Array[][]> {
  const { count: C } = model;
  const { seqLength: T, hiddenSize: H } = model.config;
  const stacked = tf.tidy(() =>
    tf.stack(
      runSequence(model, model.inputs).map((o) => o.preActivation),
      1,
    ),
  ); // [C, T, 1, H]
  const data = (await stacked.data()) as Float32Array;
  stacked.dispose();
  return Array.from({ length: C }, (_, c) => Array.from({ length: T }, (_, t) => data.subarray((c * T + t) * H, (c * T + t + 1) * H)));
}
