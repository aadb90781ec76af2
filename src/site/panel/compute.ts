/**
 * What the verdict site's live panel computes for one configuration, with no DOM and no tfjs: the
 * float64 oracle's temporal profile (the float64 column of `vg profile`, src/cli/profile.ts), the
 * γ^(T−t) bound of "Bounding the Gradient Norm", and the rulings of the claims whose predicate reads
 * one profile (claims/profile-rules.ts). The same modules the package ships, bundled for the browser.
 */
import { profileSteps, validateModelConfig } from '../../config/validate.js';
import type { ModelConfig } from '../../config/types.js';
import { createParams } from '../../models/params.js';
import { chainProfile, type Float64Overflow } from '../../numerics/jacobian-chain.js';
import { oracleRun } from '../../oracle/run.js';
import { jacobianNorms, recurrentMatrix, spectrum } from '../../probes/spectra.js';
import { panelRulings, type PanelRuling } from './rulings.js';

/** Why a float64 value is not a number: computed through ±∞/NaN, or exactly 0 (log10 −∞). */
export type PanelFlag = 'overflow' | 'zero';

/** One configuration's panel numbers. Every series is indexed by distance d = T−1−t from the last step. */
export interface PanelProfile {
  /** The validated configuration the numbers come from. */
  readonly config: ModelConfig;
  /** 0..T−1. */
  readonly distances: readonly number[];
  /** log10 ‖∂L/∂s_t‖ in float64 (chainProfile's log10GradState); null exactly where `flags` is set. */
  readonly log10: ReadonlyArray<number | null>;
  /** The oracle's flag per distance, as `vg profile` prints it ('overflow', 'zero'), or null. */
  readonly flags: ReadonlyArray<PanelFlag | null>;
  /** The γ^(T−1−t) bound anchored at the last step (claims/judge.ts gammaBound); all null when γ or the anchor is not a number. */
  readonly bound: ReadonlyArray<number | null>;
  /** γ = max_k ‖∂s_k/∂s_{k−1}‖₂ (float64, Lanczos), null when some Jacobian held ±∞ or NaN. */
  readonly gamma: number | null;
  /** Where float64 first failed (chainProfile's firstOverflow), or null. */
  readonly firstOverflow: Float64Overflow | null;
  /** The single-configuration claims, read on this profile. */
  readonly rulings: readonly PanelRuling[];
}

/**
 * Validates `config` (validateModelConfig, and profileSteps for T as `vg profile` does) and computes
 * its panel numbers. Throws the validator's ConfigError for an invalid configuration.
 */
export function panelProfile(config: unknown): PanelProfile {
  const valid = validateModelConfig(config);
  profileSteps('seqLength', valid.seqLength);
  const params = createParams(valid);
  const run = oracleRun(params);
  const chain = chainProfile(run);
  const T = valid.seqLength;
  const flagAt = (t: number): PanelFlag | null => (chain.state.overflow[t] ? 'overflow' : chain.state.zero[t] ? 'zero' : null);
  const byStep = chain.log10GradState.map((y, t) => (flagAt(t) === null ? y : null));
  const norms = jacobianNorms(run);
  const gamma = run.firstOverflow === null && norms.every(Number.isFinite) ? Math.max(...norms) : null;
  const spectralRadius = spectrum(recurrentMatrix(params)).spectralRadius;
  const { rulings, boundByStep } = panelRulings(valid, { chain, byStep, norms, gamma, spectralRadius });
  const byDistance = <V>(series: readonly V[]): V[] => [...series].reverse();
  return {
    config: valid,
    distances: Array.from({ length: T }, (_, d) => d),
    log10: byDistance(byStep),
    flags: byDistance(chain.log10GradState.map((_, t) => flagAt(t))),
    bound: boundByStep === null ? new Array<null>(T).fill(null) : byDistance(boundByStep.map((b) => (Number.isFinite(b) ? b : null))),
    gamma,
    firstOverflow: chain.firstOverflow,
    rulings,
  };
}
