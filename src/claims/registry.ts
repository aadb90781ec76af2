import { VG_FLOW_JACOBIAN_FORM, VG_FLOW_PRODUCT } from './sections/flow.js';
import type { Claim, Domain, PendingClaim, Section } from './types.js';

/** Every claim of the document that this project decides by experiment, in document order. */
export const CLAIMS: readonly Claim<Domain>[] = [VG_FLOW_PRODUCT, VG_FLOW_JACOBIAN_FORM] as unknown as readonly Claim<Domain>[];

/** Claims registered without a verdict yet, each with its reason. */
export const PENDING: readonly PendingClaim[] = [];

export function claimsOf(section: Section): readonly Claim<Domain>[] {
  return CLAIMS.filter((c) => c.section === section);
}

export function findClaim(id: string): Claim<Domain> | undefined {
  return CLAIMS.find((c) => c.id === id);
}
