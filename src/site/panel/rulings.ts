/**
 * The claims whose predicate reads one configuration, ruled on the panel's float64 profile by the
 * claims' own rules (claims/profile-rules.ts). The claims themselves read float32 (the kernel
 * engine) with the oracle where float32 underflows; the panel has only the oracle, and says so.
 */
import type { ModelConfig } from '../../config/types.js';
import { EXPONENTIAL_R2, NEGLIGIBLE_DECADES } from '../../claims/rules.js';
import { GAMMA_BOUND_TOL_DECADES, expShrinkRuling, gammaBoundRuling, gammaCommonRuling } from '../../claims/profile-rules.js';
import type { ChainProfile } from '../../numerics/jacobian-chain.js';

/** 'not read' when float64 failed on this configuration: no number then decides anything. */
export type RulingStatus = 'holds' | 'fails' | 'not read';

/** One claim's predicate on the panel's configuration. */
export interface PanelRuling {
  /** The claim id, as in the registry (src/claims/sections). */
  readonly claim: string;
  readonly status: RulingStatus;
  /** The predicate's numbers in words: what it compared and against what. */
  readonly summary: string;
  /** The rule's numbers, under the names the claim's record uses. */
  readonly numbers: Readonly<Record<string, number | string>>;
  /** The cells the claim is about; `inSubject` says whether this configuration is one. */
  readonly subject: string;
  readonly inSubject: boolean;
}

const f = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const g = (x: number): string => (Number.isFinite(x) ? x.toPrecision(4) : String(x));

/** Rules every single-configuration claim; `byStep` is the float64 profile by step with null at flagged steps. */
export function panelRulings(
  config: ModelConfig,
  chain: ChainProfile,
  byStep: ReadonlyArray<number | null>,
  norms: readonly number[],
  gamma: number | null,
): { rulings: PanelRuling[]; boundByStep: number[] | null } {
  const overflow = chain.firstOverflow;
  const failed = overflow === null ? '' : `float64 overflowed (${overflow.quantity} at step ${overflow.step}): no number here decides`;
  const vanilla = config.architecture === 'rnn';
  const rulings: PanelRuling[] = [];

  const shrinkSubject = { subject: 'the vanilla RNN', inSubject: vanilla };
  if (overflow !== null) rulings.push({ claim: 'VG-CORE-EXP-SHRINK', status: 'not read', summary: failed, numbers: {}, ...shrinkSubject });
  else {
    // Exact zeros stay −∞, as the claim reads them (vanished, but not along a line).
    const { holds, numbers } = expShrinkRuling(chain.log10GradState);
    const summary = 'exactZeroGradientAtDistance' in numbers
      ? `the gradient is exactly 0 from distance ${numbers.exactZeroGradientAtDistance}: vanished, but not along a line`
      : `line fit R² = ${f(numbers.r2, 3)} (${numbers.r2 >= EXPONENTIAL_R2 ? '≥' : '<'} ${EXPONENTIAL_R2}); the line loses ${f(numbers.fittedDecadesLost)} decades over the run (${numbers.fittedDecadesLost > numbers.preservedDecades ? '>' : '≤'} ${f(numbers.preservedDecades)}, what a preserved gradient may lose)`;
    rulings.push({ claim: 'VG-CORE-EXP-SHRINK', status: holds ? 'holds' : 'fails', summary, numbers, ...shrinkSubject });
  }

  let boundByStep: number[] | null = null;
  const boundSubject = { subject: 'every cell', inSubject: true };
  if (gamma === null) rulings.push({ claim: 'VG-BOUND-GAMMA', status: 'not read', summary: failed || 'γ is not a number', numbers: {}, ...boundSubject });
  else {
    const { holds, numbers, bound } = gammaBoundRuling(byStep, gamma);
    boundByStep = bound;
    const { minSlackDecades: slack, slackAtFirstStepDecades: first } = numbers;
    const summary = typeof slack !== 'number'
      ? 'the last step has no value to anchor the bound'
      : holds
        ? `γ = ${g(gamma)}; the profile stays below the γ^(T−1−t) bound at every step, ${typeof first === 'number' ? `${f(first)} decades below it at the first step` : 'the first step has no value'}`
        : `γ = ${g(gamma)}; the profile rises above the γ^(T−1−t) bound by up to ${f(-slack, 3)} decades (tolerance ${GAMMA_BOUND_TOL_DECADES})`;
    rulings.push({ claim: 'VG-BOUND-GAMMA', status: holds ? 'holds' : 'fails', summary, numbers, ...boundSubject });
  }

  const gammaSubject = { subject: 'a tanh RNN', inSubject: vanilla && config.activation === 'tanh' };
  if (gamma === null) rulings.push({ claim: 'VG-GAMMA-COMMON', status: 'not read', summary: failed || 'γ is not a number', numbers: {}, ...gammaSubject });
  else {
    const { holds, numbers } = gammaCommonRuling(norms);
    const summary = `γ = ${g(numbers.gamma)}: the bound γ^(T−1) forces ${f(numbers.boundForcesDecades)} decades of decay (${holds ? '≥' : '<'} ${NEGLIGIBLE_DECADES}, the project's "negligible")`;
    rulings.push({ claim: 'VG-GAMMA-COMMON', status: holds ? 'holds' : 'fails', summary, numbers, ...gammaSubject });
  }
  return { rulings, boundByStep };
}
