/**
 * The predicates of the gradient claims that read one configuration's profile, as pure functions
 * with no tfjs: each claim's `evaluate` calls its rule here, and the verdict site's live panel
 * (src/site/panel) calls the same rule on the float64 profile it computes in the reader's browser.
 * One definition per rule, so the panel cannot drift from the claim.
 */
import { DEMO_CONFIG } from '../config/types.js';
import { linearFit, median } from '../numerics/stats.js';
import { gammaBound } from './judge.js';
import { EXPONENTIAL_R2, NEGLIGIBLE_DECADES } from './rules.js';
import { preservedDecades, preservedDecadesPerStep } from './sections/mitigations/preserved.js';

/** What a rule decided on one profile, and the numbers it decided on (the claim's record keeps the same names). */
export interface ProfileRuling<N extends Readonly<Record<string, number | string>>> {
  readonly holds: boolean;
  readonly numbers: N;
}

/**
 * VG-CORE-EXP-SHRINK (The Core Problem): the least-squares line through log10 ‖∂L/∂h_t‖ against
 * the distance from the end has R² ≥ EXPONENTIAL_R2 and loses more than preservedDecades(T). An
 * exact zero (−∞, a ReLU cell whose every unit is off) has vanished, but not along a line: fails.
 * `log10ByStep` is indexed by step t = 0..T−1 and holds no NaN or +∞ (the caller flags those).
 */
export function expShrinkRuling(log10ByStep: readonly number[]): ProfileRuling<Record<string, number>> {
  const T = log10ByStep.length;
  const zeroAt = log10ByStep.indexOf(-Infinity);
  if (zeroAt >= 0) return { holds: false, numbers: { exactZeroGradientAtDistance: T - 1 - zeroAt } };
  const fit = linearFit(
    log10ByStep.map((_, t) => T - 1 - t),
    log10ByStep,
  );
  const lost = -fit.slope * (T - 1);
  return {
    holds: fit.r2 >= EXPONENTIAL_R2 && lost > preservedDecades(T),
    numbers: { decadesPerStep: -fit.slope, r2: fit.r2, fittedDecadesLost: lost, preservedDecades: preservedDecades(T) },
  };
}

/** VG-BOUND-GAMMA's slack for its float32 measurement against a float64 bound (float32 rounding over the chain, as VG-FLOW-PRODUCT). */
export const GAMMA_BOUND_TOL_DECADES = 1e-3;

/** The largest per-step Jacobian norm γ = max_k ‖∂s_k/∂s_{k−1}‖₂, k = 1..T−1 (the norms as jacobianNorms gives them). */
export function gammaOf(jacobianNorms: readonly number[]): number {
  return Math.max(...jacobianNorms);
}

/**
 * VG-BOUND-GAMMA (Bounding the Gradient Norm): at every step with a value, log10 ‖∂L/∂s_t‖ ≤
 * log10 ‖∂L/∂s_{T−1}‖ + (T−1−t)·log10 γ + GAMMA_BOUND_TOL_DECADES. Steps without a value (null)
 * are skipped; without a last value the bound has no anchor and the rule fails.
 */
export function gammaBoundRuling(
  log10ByStep: ReadonlyArray<number | null>,
  gamma: number,
): ProfileRuling<Record<string, number | string>> & { readonly bound: number[] | null } {
  const T = log10ByStep.length;
  const last = log10ByStep[T - 1];
  if (last === null) return { holds: false, numbers: { gamma, lastStep: 'underflow' }, bound: null };
  const bound = gammaBound(last, gamma, T);
  const slack: number[] = [];
  let holds = true;
  log10ByStep.forEach((y, t) => {
    if (y === null) return;
    slack.push(bound[t] - y);
    if (y > bound[t] + GAMMA_BOUND_TOL_DECADES) holds = false;
  });
  const first = log10ByStep[0];
  return {
    holds,
    numbers: {
      gamma,
      log10Gamma: Math.log10(gamma),
      slackAtFirstStepDecades: first === null ? 'underflow' : bound[0] - first,
      medianSlackDecades: median(slack),
      minSlackDecades: Math.min(...slack),
    },
    bound,
  };
}

/**
 * VG-GAMMA-COMMON (Why γ < 1 Is the Common Case): the bound γ^(T−1) lies at least
 * NEGLIGIBLE_DECADES below 1, −(T−1)·log10 γ ≥ NEGLIGIBLE_DECADES, over the T−1 per-step norms.
 */
export function gammaCommonRuling(jacobianNorms: readonly number[]): ProfileRuling<Record<string, number>> {
  const gamma = gammaOf(jacobianNorms);
  const boundForcesDecades = -jacobianNorms.length * Math.log10(gamma);
  return { holds: boundForcesDecades >= NEGLIGIBLE_DECADES, numbers: { boundForcesDecades, gamma, gammaMinusOne: gamma - 1 } };
}

/** Mean decay in decades per step between the last step and the first: (y[T−1] − y[0]) / (T − 1); positive means decay toward early steps. */
export function decadesPerStep(log10: readonly number[]): number {
  const T = log10.length;
  return (log10[T - 1] - log10[0]) / (T - 1);
}

/** VG-EIGEN-CAUSE's "most": the eigenvalues' own decay, −log10 ρ(W_hh) per step, accounts for at least this share of the measured decay per step. */
export const EIGEN_CAUSE_SHARE = 0.5;
/** VG-EIGEN-CAUSE's premise: the gradient decays, faster than a preserved gradient may at T = 50 (mitigations/preserved.ts). */
export const EIGEN_CAUSE_DECAYS_PER_STEP = preservedDecadesPerStep(DEMO_CONFIG.seqLength);

/**
 * VG-EIGEN-CAUSE (Eigenvalue Perspective): −log10 ρ(W_hh) ≥ EIGEN_CAUSE_SHARE × the measured decay
 * per step; in its premise when the measured decay per step exceeds EIGEN_CAUSE_DECAYS_PER_STEP.
 */
export function eigenCauseRuling(
  log10ByStep: readonly number[],
  spectralRadius: number,
): ProfileRuling<Record<string, number>> & { readonly inPremise: boolean } {
  const measured = decadesPerStep(log10ByStep);
  const eigenDecay = -Math.log10(spectralRadius);
  return {
    holds: eigenDecay >= EIGEN_CAUSE_SHARE * measured,
    numbers: { eigenShareOfDecay: eigenDecay / measured, eigenDecadesPerStep: eigenDecay, measuredDecadesPerStep: measured, spectralRadius },
    inPremise: measured > EIGEN_CAUSE_DECAYS_PER_STEP,
  };
}

/** VG-EIGEN-GROWTH: log10 ‖∂L/∂h_0‖ ≥ log10 ‖∂L/∂h_{T−1}‖; in its premise when ρ(W_hh) > 1. */
export function eigenGrowthRuling(
  log10ByStep: readonly number[],
  spectralRadius: number,
): ProfileRuling<Record<string, number>> & { readonly inPremise: boolean } {
  const gained = log10ByStep[0] - log10ByStep[log10ByStep.length - 1];
  return { holds: gained >= 0, numbers: { decadesGained: gained, spectralRadius }, inPremise: spectralRadius > 1 };
}

/** "Preserves gradient norms" over the demo's T = 50 steps (the principle in mitigations/preserved.ts): at most 0.44 decades lost or gained. */
export const ORTHO_PRESERVED_DECADES = preservedDecades(DEMO_CONFIG.seqLength);

/** VG-INIT-ORTHO-GRADIENT: |log10 ‖∂L/∂h_{T−1}‖ − log10 ‖∂L/∂h_0‖| ≤ ORTHO_PRESERVED_DECADES. */
export function orthoGradientRuling(log10ByStep: readonly number[]): ProfileRuling<Record<string, number>> {
  const lost = log10ByStep[log10ByStep.length - 1] - log10ByStep[0];
  return { holds: Math.abs(lost) <= ORTHO_PRESERVED_DECADES, numbers: { decadesLost: lost } };
}

/** VG-LSTM-DROPIN's "stable": the earliest step keeps at least a thousandth of the last step's gradient, the project's one rule for "negligible". */
export const STABLE_DECADES = NEGLIGIBLE_DECADES;

/** VG-LSTM-DROPIN: the profile loses at most STABLE_DECADES from the last step to the first. */
export function dropInRuling(log10ByStep: readonly number[]): ProfileRuling<Record<string, number>> {
  const lost = log10ByStep[log10ByStep.length - 1] - log10ByStep[0];
  return { holds: lost <= STABLE_DECADES, numbers: { decadesLost: lost, decadesPerStep: decadesPerStep(log10ByStep) } };
}
