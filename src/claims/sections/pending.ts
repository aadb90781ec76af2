import type { PendingClaim } from '../../engine/types.js';

/**
 * Claims registered without a verdict, each with the reason it cannot be decided yet, so the
 * registry covers the whole document. Empty: every claim of the document is decided (the last,
 * VG-TANH-DRIFT, by the activation statistics the training runs record; sections/drift.ts).
 */
export const PENDING_CLAIMS: readonly PendingClaim[] = [];
