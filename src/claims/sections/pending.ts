import type { PendingClaim } from '../types.js';

const TRAINING = 'Needs trained models: decided by the training experiments (src/experiments, issue 4), not by the gradient-side claim suite.';

/** Claims that only training can decide; listed so the registry covers the whole document. */
export const PENDING_CLAIMS: readonly PendingClaim[] = [
  { id: 'VG-CORE-NO-LONG-LEARNING', section: 'The Core Problem', kind: 'empirical', statement: 'A vanilla RNN cannot learn dependencies between distant elements of a sequence.', pendingReason: TRAINING },
  { id: 'VG-TANH-DRIFT', section: 'Why γ < 1 Is the Common Case', kind: 'empirical', statement: 'Hidden activations drift away from zero as a network trains, so tanh saturates more.', pendingReason: TRAINING },
  { id: 'VG-CONSEQ-MEMORY-TRAINED', section: 'Consequences', kind: 'empirical', statement: 'A trained vanilla RNN behaves as if it sees only the last 10 to 20 timesteps.', pendingReason: TRAINING },
  { id: 'VG-DIAG-PLATEAU', section: 'Diagnosis', kind: 'empirical', statement: 'With vanishing gradients, the training loss stops improving after an initial drop.', pendingReason: TRAINING },
  { id: 'VG-DIAG-LONG-SEQUENCES', section: 'Diagnosis', kind: 'empirical', statement: 'With vanishing gradients, a model does well on short sequences and fails on long ones.', pendingReason: TRAINING },
  { id: 'VG-GATED-LEARNS', section: 'Mitigations', kind: 'empirical', statement: 'LSTM and GRU learn the long dependencies a vanilla RNN cannot.', pendingReason: TRAINING },
];
