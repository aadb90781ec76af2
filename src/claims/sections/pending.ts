import type { PendingClaim } from '../../engine/types.js';

const TRAINING = 'Needs the distribution of hidden activations over the course of training, which the training experiments do not record yet (they record gradients, losses and hidden-state collapse).';

/** Claims that only training can decide; listed so the registry covers the whole document. */
export const PENDING_CLAIMS: readonly PendingClaim[] = [
  { id: 'VG-TANH-DRIFT', section: 'Why γ < 1 Is the Common Case', kind: 'empirical', statement: 'Hidden activations drift away from zero as a network trains, so tanh saturates more.', pendingReason: TRAINING },
];
