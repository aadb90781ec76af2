import { type DetectorComparison, profileDetector } from '../../experiments/detector.js';
import type { GridCell } from '../../experiments/grid.js';
import { shareBeyond, stepShares } from '../../experiments/metrics.js';
import type { TrainRun } from '../../experiments/records.js';
import type { Evaluation } from '../../engine/types.js';

/**
 * What the training claims read of one finished run: typed, so a predicate that misspells a
 * field fails to compile instead of reading `undefined`. The record's numbers (Evaluation.numbers,
 * shown in the report) are produced from it by {@link summaryNumbers}.
 */
export interface RunSummary {
  /** Steps between the early input and the readout (the task's lag). */
  readonly lag: number;
  /** The training seed (weights and batches). */
  readonly seed: number;
  /** The update at which the solve rule was met; null when not within the cap. */
  readonly solvedAt: number | null;
  /** Updates the model received: the cap, or solvedAt when it stopped there. */
  readonly updates: number;
  /** Final held-out mean squared error over the task's baseline (the best error without the early input). */
  readonly lossOverBaseline: number;
  /** Lowest held-out error at any evaluation, over the baseline. */
  readonly bestLossOverBaseline: number;
  /** Final held-out accuracy (recall), null for a regression task. */
  readonly accuracy: number | null;
  /** The solve rule was met within the cap (experiments/train.ts). */
  readonly learned: boolean;
  /** The training loss's moving average improved by less than PLATEAU_MIN_IMPROVEMENT over the tail (experiments/metrics.ts). */
  readonly plateaued: boolean;
  /** Relative improvement of that moving average over the tail. */
  readonly tailImprovement: number;
  /** Where the plateau began; null when the run did not plateau. */
  readonly plateauOnsetUpdate: number | null;
  /** log10 ‖∂L/∂h‖ at the lag minus at the readout, at the first probe; null when a norm underflowed. */
  readonly profileGapInitial: number | null;
  /** The project's profile detector at the first probe: the profile loses more than PROFILE_VANISHING_DECADES across the lag, or underflows. */
  readonly profileVanishingInitial: boolean;
  /**
   * The profile detector flagged every probe of the run (the first included): the gradient across
   * the lag stayed vanished for as long as the model trained. With the task not learned, what "the
   * run suffers from vanishing gradients" means in the training claims' premises (the initial profile
   * alone does not: many runs whose first probe vanishes learn, and their profile recovers; a run
   * that learned was not stopped by it).
   */
  readonly vanishingThroughout: boolean;
  /** Probes at which the profile detector flagged vanishing, and probes taken. */
  readonly vanishingProbes: number;
  readonly probes: number;
  /** The document's detector (‖∇W_hh‖ below 10⁻⁷) fired at some update. */
  readonly documentDetectorFired: boolean;
  /** Smallest ‖∇W_hh‖ over the updates. */
  readonly minNormWhh: number;
  /** ‖∇W_hh‖ / ‖∇W_ih‖ at the last update. */
  readonly hhOverIh: number;
  /** Share of Σ_t ‖G_t‖_F (G_t: step t's term of ∂L/∂W_hh) from steps at distance ≥ lag/2, at the first update. */
  readonly farShareWhh: number;
  /** The largest such share over the probes taken while the model trained (the first included). */
  readonly farShareWhhMax: number;
  /**
   * The largest such share over the probes at which the gradient vanished across the lag (the
   * profile detector flagged it); null when no probe did.
   */
  readonly farShareWhhMaxWhileVanishing: number | null;
  /**
   * How far the loss had fallen before its plateau began: 1 − (held-out loss at the first
   * evaluation at or after the onset) / (held-out loss before training); null when the run did not
   * plateau. The held-out set is the same 512 sequences at every evaluation, so the ratio carries no
   * batch noise (the training loss's moving average spans 5% of the run and would hide an early drop).
   */
  readonly dropBeforePlateau: number | null;
  /** Hidden-state collapse before training and at the end (NaN when read at a smaller budget). */
  readonly collapseInitial: number;
  readonly collapseFinal: number;
}

/** The summary of one run (its detectors as recorded, or recomputed for a run read at a smaller budget). */
export function runSummary(cell: GridCell, detectors: DetectorComparison = cell.detectors): RunSummary {
  const r = cell.run;
  const half = Math.ceil(cell.lag / 2);
  const lag = Math.min(r.task.lag, r.task.seqLength - 1);
  const probeShares = r.probes.map((p) => ({ share: shareBeyond(stepShares(p.wHhTerms), half), vanishing: profileDetector(p.gradState, lag).vanishing }));
  const whileVanishing = probeShares.filter((p) => p.vanishing).map((p) => p.share);
  return {
    lag: cell.lag,
    seed: cell.seed,
    solvedAt: r.solvedAt,
    updates: r.updates,
    lossOverBaseline: r.final.loss / r.task.baseline,
    bestLossOverBaseline: r.bestLoss / r.task.baseline,
    accuracy: r.final.accuracy,
    learned: r.learned,
    plateaued: r.plateau.plateaued,
    tailImprovement: r.plateau.relativeImprovement,
    plateauOnsetUpdate: r.plateau.onsetStep,
    profileGapInitial: detectors.profileInitial.gapDecades,
    profileVanishingInitial: detectors.profileInitial.vanishing,
    vanishingThroughout: detectors.probes > 0 && detectors.profileFlagged === detectors.probes,
    vanishingProbes: detectors.profileFlagged,
    probes: detectors.probes,
    documentDetectorFired: detectors.document.fired,
    minNormWhh: detectors.document.minWeightHhNorm,
    hhOverIh: detectors.document.finalHhOverIh,
    farShareWhh: probeShares[0].share,
    farShareWhhMax: Math.max(...probeShares.map((p) => p.share)),
    farShareWhhMaxWhileVanishing: whileVanishing.length > 0 ? Math.max(...whileVanishing) : null,
    dropBeforePlateau: dropBeforePlateau(r.curve, r.plateau.onsetStep),
    collapseInitial: r.initial.collapse,
    collapseFinal: r.final.collapse,
  };
}

/** 1 − held-out loss at the first evaluation at or after the plateau's onset / held-out loss at step 0; null without a plateau. */
function dropBeforePlateau(curve: TrainRun['curve'], onset: number | null): number | null {
  if (onset === null || curve.length === 0) return null;
  const at = curve.find((p) => p.step >= onset) ?? curve[curve.length - 1];
  return curve[0].loss > 0 ? 1 - at.loss / curve[0].loss : 0;
}

/** The summary as the record's numbers (an underflowed profile gap is written 'underflow'), in field order. */
export function summaryNumbers(s: RunSummary): Evaluation['numbers'] {
  return {
    ...s,
    profileGapInitial: s.profileGapInitial ?? 'underflow',
    farShareWhhMaxWhileVanishing: s.farShareWhhMaxWhileVanishing ?? 'no probe vanished',
    dropBeforePlateau: s.dropBeforePlateau ?? 'no plateau',
  };
}
