/**
 * The gradient claims whose predicate reads one configuration, ruled on the panel's float64 profile
 * by the claims' own rules (claims/profile-rules.ts). The claims themselves read float32 (the kernel
 * engine) with the oracle where float32 underflows; the panel has only the oracle, and says so.
 */
import type { ModelConfig } from '../../config/types.js';
import { EXPONENTIAL_R2, NEGLIGIBLE_DECADES } from '../../claims/rules.js';
import {
  EIGEN_CAUSE_DECAYS_PER_STEP,
  EIGEN_CAUSE_SHARE,
  GAMMA_BOUND_TOL_DECADES,
  ORTHO_PRESERVED_DECADES,
  STABLE_DECADES,
  dropInRuling,
  eigenCauseRuling,
  eigenGrowthRuling,
  expShrinkRuling,
  gammaBoundRuling,
  gammaCommonRuling,
  orthoGradientRuling,
} from '../../claims/profile-rules.js';
import type { ChainProfile } from '../../numerics/jacobian-chain.js';

/** 'not read' when float64 failed, or a number the rule compares is not finite: no number then decides anything. */
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
  /** The cells (and premise) the claim is about; `inSubject` says whether this configuration is one. */
  readonly subject: string;
  readonly inSubject: boolean;
}

/** What the rulings read besides the configuration. */
export interface RulingInputs {
  readonly chain: ChainProfile;
  /** log10 ‖∂L/∂s_t‖ by step, null where the oracle flags the step. */
  readonly byStep: ReadonlyArray<number | null>;
  /** ‖∂s_t/∂s_{t−1}‖₂, t = 1..T−1. */
  readonly norms: readonly number[];
  /** max of `norms`, null when a Jacobian was not finite. */
  readonly gamma: number | null;
  /** ρ(W_hh), the spectral radius of the document's recurrent matrix (probes/spectra.ts recurrentMatrix). */
  readonly spectralRadius: number;
}

const f = (x: number, digits = 2): string => x.toFixed(digits);
const g = (x: number): string => x.toPrecision(4);
const cmp = (ok: boolean, yes: string, no: string): string => (ok ? yes : no);

type Rule = { readonly holds: boolean; readonly numbers: Readonly<Record<string, number | string>> };

/** A ruling from a rule, unread when a number it compares is not finite (the claims' judge calls such a case broken). */
function ruling(claim: string, scope: { subject: string; inSubject: boolean }, rule: Rule, words: () => string): PanelRuling {
  const broken = Object.entries(rule.numbers).find(([, v]) => typeof v === 'number' && !Number.isFinite(v));
  if (broken)
    return {
      claim,
      status: 'not read',
      summary: `${broken[0]} is not a finite number (an end of the profile is exactly 0, or γ is): the claim's judge calls such a case broken`,
      numbers: {},
      ...scope,
    };
  return { claim, status: rule.holds ? 'holds' : 'fails', summary: words(), numbers: rule.numbers, ...scope };
}

/** Rules every single-configuration gradient claim on one profile, and returns the γ bound by step (null without γ). */
export function panelRulings(
  config: ModelConfig,
  { chain, byStep, norms, gamma, spectralRadius }: RulingInputs,
): { rulings: PanelRuling[]; boundByStep: number[] | null } {
  const overflow = chain.firstOverflow;
  const tanhRnn = config.architecture === 'rnn' && config.activation === 'tanh';
  const ys = chain.log10GradState; // exact zeros stay −∞, as the claims read them
  const rho = spectralRadius;
  const scopes = {
    'VG-CORE-EXP-SHRINK': { subject: 'the vanilla RNN', inSubject: config.architecture === 'rnn' },
    'VG-BOUND-GAMMA': { subject: 'every cell', inSubject: true },
    'VG-GAMMA-COMMON': { subject: 'a tanh RNN', inSubject: tanhRnn },
    'VG-EIGEN-CAUSE': {
      subject: `a tanh RNN whose gradient decays by more than ${EIGEN_CAUSE_DECAYS_PER_STEP.toFixed(4)} decades per step`,
      inSubject: tanhRnn && eigenCauseRuling(ys, rho).inPremise,
    },
    'VG-EIGEN-GROWTH': { subject: 'a tanh RNN whose W_hh has ρ > 1', inSubject: tanhRnn && rho > 1 },
    'VG-INIT-ORTHO-GRADIENT': {
      subject: 'orthogonal W_hh in a linear cell (its premise; the tanh cell is its boundary probe)',
      inSubject: config.architecture === 'rnn' && config.activation === 'linear' && config.recurrentInit.kind === 'orthogonal',
    },
    'VG-LSTM-DROPIN': {
      subject: "an LSTM at PyTorch's default initialisation",
      inSubject: config.architecture === 'lstm' && config.recurrentInit.kind === 'pytorchDefault',
    },
  } as const;
  if (overflow !== null) {
    const summary = `float64 overflowed (${overflow.quantity} at step ${overflow.step}): no number here decides`;
    return { rulings: Object.entries(scopes).map(([claim, scope]) => ({ claim, status: 'not read', summary, numbers: {}, ...scope })), boundByStep: null };
  }
  const rulings: PanelRuling[] = [];

  const shrink = expShrinkRuling(ys);
  rulings.push(
    ruling('VG-CORE-EXP-SHRINK', scopes['VG-CORE-EXP-SHRINK'], shrink, () => {
      const n = shrink.numbers;
      return 'exactZeroGradientAtDistance' in n
        ? `the gradient is exactly 0 from distance ${n.exactZeroGradientAtDistance}: vanished, but not along a line`
        : `line fit R² = ${f(n.r2, 3)} (${cmp(n.r2 >= EXPONENTIAL_R2, '≥', '<')} ${EXPONENTIAL_R2}); the line ` +
            `loses ${f(n.fittedDecadesLost)} decades over the run ` +
            `(${cmp(n.fittedDecadesLost > n.preservedDecades, '>', '≤')} ${f(n.preservedDecades)}, what a ` +
            `preserved gradient may lose)`;
    }),
  );

  let boundByStep: number[] | null = null;
  if (gamma === null) {
    for (const claim of ['VG-BOUND-GAMMA', 'VG-GAMMA-COMMON'] as const)
      rulings.push({ claim, status: 'not read', summary: 'a per-step Jacobian norm is not a number: no γ', numbers: {}, ...scopes[claim] });
  } else {
    const bound = gammaBoundRuling(byStep, gamma);
    boundByStep = bound.bound;
    rulings.push(
      ruling('VG-BOUND-GAMMA', scopes['VG-BOUND-GAMMA'], bound, () => {
        const { minSlackDecades: slack, slackAtFirstStepDecades: first } = bound.numbers;
        if (typeof slack !== 'number') return 'the last step has no value to anchor the bound';
        return bound.holds
          ? `γ = ${g(gamma)}; the profile stays below the γ^(T−1−t) bound at every step, ` +
              `${typeof first === 'number' ? `${f(first)} decades below it at the first step` : 'the first step has no value'}`
          : `γ = ${g(gamma)}; the profile rises above the γ^(T−1−t) bound by up to ${f(-slack, 3)} decades (tolerance ${GAMMA_BOUND_TOL_DECADES})`;
      }),
    );
    const common = gammaCommonRuling(norms);
    rulings.push(
      ruling(
        'VG-GAMMA-COMMON',
        scopes['VG-GAMMA-COMMON'],
        common,
        () =>
          `γ = ${g(common.numbers.gamma)}: the bound γ^(T−1) forces ${f(common.numbers.boundForcesDecades)} ` +
          `decades of decay (${cmp(common.holds, '≥', '<')} ${NEGLIGIBLE_DECADES}, the project's "negligible")`,
      ),
    );
  }

  const cause = eigenCauseRuling(ys, rho);
  rulings.push(
    ruling(
      'VG-EIGEN-CAUSE',
      scopes['VG-EIGEN-CAUSE'],
      cause,
      () =>
        `ρ(W_hh) = ${g(rho)} imposes ${f(cause.numbers.eigenDecadesPerStep, 4)} decades per step, ` +
        `${f(100 * cause.numbers.eigenShareOfDecay, 0)}% of the measured ` +
        `${f(cause.numbers.measuredDecadesPerStep, 4)} (${cmp(cause.holds, 'at least', 'less than')} ` +
        `${100 * EIGEN_CAUSE_SHARE}%)`,
    ),
  );
  const growth = eigenGrowthRuling(ys, rho);
  rulings.push(
    ruling(
      'VG-EIGEN-GROWTH',
      scopes['VG-EIGEN-GROWTH'],
      growth,
      () =>
        `ρ(W_hh) = ${g(rho)}; the gradient at the first step is ${f(Math.abs(growth.numbers.decadesGained))} ` +
        `decades ${cmp(growth.holds, 'above', 'below')} the last step's`,
    ),
  );
  const ortho = orthoGradientRuling(ys);
  rulings.push(
    ruling(
      'VG-INIT-ORTHO-GRADIENT',
      scopes['VG-INIT-ORTHO-GRADIENT'],
      ortho,
      () =>
        `the gradient changes by ${f(Math.abs(ortho.numbers.decadesLost))} decades from the last step to the ` +
        `first (${cmp(ortho.holds, '≤', '>')} ${f(ORTHO_PRESERVED_DECADES)}, what "preserved" allows over 50 steps)`,
    ),
  );
  const dropIn = dropInRuling(ys);
  rulings.push(
    ruling(
      'VG-LSTM-DROPIN',
      scopes['VG-LSTM-DROPIN'],
      dropIn,
      () =>
        `the gradient loses ${f(dropIn.numbers.decadesLost)} decades from the last step to the first ` +
        `(${cmp(dropIn.holds, '≤', '>')} ${STABLE_DECADES}, the project's "stable")`,
    ),
  );
  return { rulings, boundByStep };
}
