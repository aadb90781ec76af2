import { VG_BOUND_GAMMA, VG_BOUND_SUBMULT } from './sections/bounds.js';
import { VG_CONSEQ_EARLY_UPDATES, VG_CONSEQ_LONG_RANGE, VG_CONSEQ_SHORT_MEMORY } from './sections/consequences.js';
import { VG_CORE_EXP_SHRINK, VG_SUMMARY_GATED, VG_SUMMARY_RELIEF } from './sections/core.js';
import { VG_DEMO_EXP_DECAY, VG_DEMO_GAP, VG_DEMO_PLOT_AXIS } from './sections/demo.js';
import { VG_DIAG_COLLAPSE, VG_DIAG_DETECTOR, VG_DIAG_HH_VS_IH } from './sections/diagnosis.js';
import { VG_EIGEN_COMPONENTS, VG_EIGEN_TYPICAL } from './sections/eigen.js';
import { VG_FLOW_JACOBIAN_FORM, VG_FLOW_PRODUCT } from './sections/flow.js';
import {
  VG_GRU_SIMILAR, VG_INIT_ORTHO_BEST, VG_INIT_ORTHO_GRADIENT, VG_INIT_ORTHO_ISOMETRY, VG_INIT_ORTHO_SV1, VG_LN_DECAY, VG_LN_SLOPE,
  VG_LSTM_CELL_JACOBIAN, VG_LSTM_DROPIN, VG_LSTM_HIGHWAY, VG_SKIP_BYPASS,
} from './sections/mitigations.js';
import { PENDING_CLAIMS } from './sections/pending.js';
import { trainingClaims } from './sections/training.js';
import { type TrainingPlan, trainingPlan } from './training/plan.js';
import { VG_GAMMA_COMMON, VG_SPECNORM_POWER, VG_TANH_DERIV, VG_TANH_MAX, VG_TANH_TAILS } from './sections/why-gamma.js';
import type { Claim, Domain, PendingClaim, Section } from './types.js';

/** The claims decided from gradients of untrained models, in document order. */
const GRADIENT_CLAIMS: readonly Claim<Domain>[] = [
  VG_CORE_EXP_SHRINK,
  VG_FLOW_PRODUCT, VG_FLOW_JACOBIAN_FORM,
  VG_BOUND_SUBMULT, VG_BOUND_GAMMA,
  VG_TANH_DERIV, VG_TANH_MAX, VG_TANH_TAILS, VG_SPECNORM_POWER, VG_GAMMA_COMMON,
  VG_EIGEN_COMPONENTS, VG_EIGEN_TYPICAL,
  VG_CONSEQ_LONG_RANGE, VG_CONSEQ_EARLY_UPDATES, VG_CONSEQ_SHORT_MEMORY,
  VG_DEMO_EXP_DECAY, VG_DEMO_GAP, VG_DEMO_PLOT_AXIS,
  VG_DIAG_DETECTOR, VG_DIAG_HH_VS_IH, VG_DIAG_COLLAPSE,
  VG_INIT_ORTHO_SV1, VG_INIT_ORTHO_ISOMETRY, VG_INIT_ORTHO_GRADIENT, VG_INIT_ORTHO_BEST, VG_SKIP_BYPASS, VG_LN_SLOPE, VG_LN_DECAY,
  VG_LSTM_CELL_JACOBIAN, VG_LSTM_HIGHWAY, VG_LSTM_DROPIN, VG_GRU_SIMILAR,
  VG_SUMMARY_RELIEF, VG_SUMMARY_GATED,
] as unknown as readonly Claim<Domain>[];

/** The claims decided by training models, their regions following a training plan (built when asked). */
export function trainingClaimsFor(plan: TrainingPlan): readonly Claim<Domain>[] {
  return trainingClaims(plan) as unknown as readonly Claim<Domain>[];
}

/** The training claims with the default (reduced) plan's regions: ids and sections are the same for every plan. */
export const TRAINING_CLAIMS: readonly Claim<Domain>[] = trainingClaimsFor(trainingPlan('reduced'));

/** Every claim of the document that this project decides by experiment (training regions from the reduced plan). */
export const CLAIMS: readonly Claim<Domain>[] = [...GRADIENT_CLAIMS, ...TRAINING_CLAIMS];

/** Every claim, with the training regions of the given plan. */
export function claimsForPlan(plan: TrainingPlan): readonly Claim<Domain>[] {
  return [...GRADIENT_CLAIMS, ...trainingClaimsFor(plan)];
}

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
