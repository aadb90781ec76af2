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
  let sum = 0, min = Infinity, saturated = 0, absSum = 0, n = 0;
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
