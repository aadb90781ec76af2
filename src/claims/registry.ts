import { VG_BOUND_GAMMA, VG_BOUND_SUBMULT } from './sections/bounds.js';
import { VG_EIGEN_COMPONENTS, VG_EIGEN_TYPICAL } from './sections/eigen.js';
import { VG_FLOW_JACOBIAN_FORM, VG_FLOW_PRODUCT } from './sections/flow.js';
import { VG_GAMMA_COMMON, VG_SPECNORM_POWER, VG_TANH_DERIV, VG_TANH_MAX, VG_TANH_TAILS } from './sections/why-gamma.js';
import type { Claim, Domain, PendingClaim, Section } from './types.js';

/** Every claim of the document that this project decides by experiment, in document order. */
export const CLAIMS: readonly Claim<Domain>[] = [
  VG_FLOW_PRODUCT, VG_FLOW_JACOBIAN_FORM,
  VG_BOUND_SUBMULT, VG_BOUND_GAMMA,
  VG_TANH_DERIV, VG_TANH_MAX, VG_TANH_TAILS, VG_SPECNORM_POWER, VG_GAMMA_COMMON,
  VG_EIGEN_COMPONENTS, VG_EIGEN_TYPICAL,
] as unknown as readonly Claim<Domain>[];

/** Claims registered without a verdict yet, each with its reason. */
export const PENDING: readonly PendingClaim[] = [];

export function claimsOf(section: Section): readonly Claim<Domain>[] {
  return CLAIMS.filter((c) => c.section === section);
}

export function findClaim(id: string): Claim<Domain> | undefined {
  return CLAIMS.find((c) => c.id === id);
}
