import { VG_BOUND_GAMMA, VG_BOUND_SUBMULT } from './sections/bounds.js';
import {
  VG_CONSEQ_EARLY_SHARE,
  VG_CONSEQ_EARLY_UPDATES,
  VG_CONSEQ_LONG_RANGE,
  VG_CONSEQ_MEMORY_TRAINED,
  VG_CONSEQ_SHORT_MEMORY,
} from './sections/consequences.js';
import { VG_CORE_EXP_SHRINK, VG_CORE_NO_LONG_LEARNING } from './sections/core.js';
import { VG_DEMO_EXP_DECAY, VG_DEMO_GAP, VG_DEMO_PLOT_AXIS, VG_DEMO_SMALL_INIT } from './sections/demo.js';
import { VG_DIAG_DETECTOR, VG_DIAG_DETECTOR_TRAINED } from './sections/diagnosis/monitoring.js';
import { VG_TANH_DRIFT } from './sections/drift.js';
import {
  VG_DIAG_COLLAPSE,
  VG_DIAG_COLLAPSE_TRAINED,
  VG_DIAG_HH_VS_IH,
  VG_DIAG_HH_VS_IH_TRAINED,
  VG_DIAG_LONG_SEQUENCES,
  VG_DIAG_PLATEAU,
} from './sections/diagnosis/symptoms.js';
import { VG_EIGEN_CAUSE, VG_EIGEN_COMPONENTS, VG_EIGEN_GROWTH, VG_EIGEN_TYPICAL } from './sections/eigen.js';
import { VG_FLOW_JACOBIAN_FORM, VG_FLOW_PRODUCT } from './sections/flow.js';
import { VG_GATED_LEARNS, VG_GRU_SIMILAR, VG_LSTM_CELL_JACOBIAN, VG_LSTM_DROPIN, VG_LSTM_HIGHWAY } from './sections/mitigations/gated.js';
import {
  VG_INIT_ORTHO_BEST,
  VG_INIT_ORTHO_GRADIENT,
  VG_INIT_ORTHO_ISOMETRY,
  VG_INIT_ORTHO_SV1,
  VG_INIT_ORTHO_TRAINED,
} from './sections/mitigations/initialisation.js';
import { VG_LN_DECAY, VG_LN_SLOPE } from './sections/mitigations/layer-norm.js';
import { VG_SKIP_BYPASS } from './sections/mitigations/skip-connections.js';
import { PENDING_CLAIMS } from './sections/pending.js';
import { VG_SUMMARY_GATED, VG_SUMMARY_RELIEF } from './sections/summary.js';
import { VG_GAMMA_COMMON, VG_SPECNORM_COMMON, VG_SPECNORM_POWER, VG_TANH_DERIV, VG_TANH_MAX, VG_TANH_TAILS } from './sections/why-gamma.js';
import type { BuildOptions, TrainingClaim } from './training/claim.js';
import { type TrainingPlan, trainingPlan } from './training/plan.js';
import type { Claim, Domain, PendingClaim, Section } from '../engine/types.js';

/** The claims decided from gradients of untrained models, in document order. */
const GRADIENT_CLAIMS: readonly Claim<Domain>[] = [
  VG_CORE_EXP_SHRINK,
  VG_FLOW_PRODUCT,
  VG_FLOW_JACOBIAN_FORM,
  VG_BOUND_SUBMULT,
  VG_BOUND_GAMMA,
  VG_TANH_DERIV,
  VG_TANH_MAX,
  VG_TANH_TAILS,
  VG_SPECNORM_POWER,
  VG_SPECNORM_COMMON,
  VG_GAMMA_COMMON,
  VG_EIGEN_COMPONENTS,
  VG_EIGEN_TYPICAL,
  VG_EIGEN_CAUSE,
  VG_EIGEN_GROWTH,
  VG_CONSEQ_LONG_RANGE,
  VG_CONSEQ_EARLY_UPDATES,
  VG_CONSEQ_SHORT_MEMORY,
  VG_DEMO_EXP_DECAY,
  VG_DEMO_GAP,
  VG_DEMO_PLOT_AXIS,
  VG_DEMO_SMALL_INIT,
  VG_DIAG_DETECTOR,
  VG_DIAG_HH_VS_IH,
  VG_DIAG_COLLAPSE,
  VG_INIT_ORTHO_SV1,
  VG_INIT_ORTHO_ISOMETRY,
  VG_INIT_ORTHO_GRADIENT,
  VG_INIT_ORTHO_BEST,
  VG_SKIP_BYPASS,
  VG_LN_SLOPE,
  VG_LN_DECAY,
  VG_LSTM_CELL_JACOBIAN,
  VG_LSTM_HIGHWAY,
  VG_LSTM_DROPIN,
  VG_GRU_SIMILAR,
  VG_SUMMARY_RELIEF,
  VG_SUMMARY_GATED,
] as unknown as readonly Claim<Domain>[];

/**
 * The claims decided by training models, each stated in its section's file. Their regions follow
 * a training plan, so they are built when asked (trainingClaimsFor), never at import.
 */
const TRAINING: readonly TrainingClaim[] = [
  VG_CORE_NO_LONG_LEARNING,
  VG_TANH_DRIFT,
  VG_GATED_LEARNS,
  VG_CONSEQ_MEMORY_TRAINED,
  VG_CONSEQ_EARLY_SHARE,
  VG_DIAG_PLATEAU,
  VG_DIAG_LONG_SEQUENCES,
  VG_DIAG_DETECTOR_TRAINED,
  VG_DIAG_HH_VS_IH_TRAINED,
  VG_DIAG_COLLAPSE_TRAINED,
  VG_INIT_ORTHO_TRAINED,
];

/** The ids of the training claims (no claim built). */
export const TRAINING_CLAIM_IDS: readonly string[] = TRAINING.map((c) => c.id);

/** The ids of every registered claim (gradient and training), with no training claim built. */
export const CLAIM_IDS: readonly string[] = [...GRADIENT_CLAIMS.map((c) => c.id), ...TRAINING_CLAIM_IDS];

/**
 * The training claims with the regions of `plan`. A region with no stated expectation is an
 * error naming the claim, the region and `vg verify --record`, unless `options.record` is set.
 */
export function trainingClaimsFor(plan: TrainingPlan, options: BuildOptions = {}): readonly Claim<Domain>[] {
  return TRAINING.map((c) => c.build(plan, options)) as unknown as readonly Claim<Domain>[];
}

/** Every claim, with the training regions of the given plan (default: the reduced plan). */
export function claimsForPlan(plan: TrainingPlan = trainingPlan('reduced'), options: BuildOptions = {}): readonly Claim<Domain>[] {
  return [...GRADIENT_CLAIMS, ...trainingClaimsFor(plan, options)];
}

/** An array built on first use: reading it builds it once, so importing the registry builds no training claim. */
function builtOnFirstUse<T>(build: () => readonly T[]): readonly T[] {
  let built: readonly T[] | null = null;
  const target = (): readonly T[] => (built ??= build());
  return new Proxy([] as T[], {
    get: (_, key) => {
      const value = Reflect.get(target(), key);
      return typeof value === 'function' ? value.bind(target()) : value;
    },
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d && key !== 'length' ? { ...d, configurable: true } : d;
    },
  });
}

/**
 * Every claim of the document that this project decides by experiment, training regions from
 * the reduced plan: built on first use (prefer claimsForPlan, or CLAIM_IDS for the ids alone).
 */
export const CLAIMS: readonly Claim<Domain>[] = builtOnFirstUse(() => claimsForPlan());

/** Whether a claim is decided by training runs (its own spec trains them once, see specs/claims/11-training.test.ts). */
export function isTrainingClaim(claim: Claim<Domain>): boolean {
  return claim.regions.some((r) => r.domain.kind === 'training');
}

/** Claims registered without a verdict from the claim suite, each with its reason. */
export const PENDING: readonly PendingClaim[] = PENDING_CLAIMS;

/** The gradient-side claims of a section (training claims run in their own spec). */
export function claimsOf(section: Section): readonly Claim<Domain>[] {
  return GRADIENT_CLAIMS.filter((c) => c.section === section);
}

export function findClaim(id: string): Claim<Domain> | undefined {
  return CLAIMS.find((c) => c.id === id);
}
