import type { Log10Series } from '../numerics/log-norm.js';
import { NEGLIGIBLE_DECADES } from '../numerics/negligible.js';
import { linearFit as fitLine } from '../numerics/stats.js';
import type { ParamGradStats } from '../probes/param-grads.js';
import type { StepEvent, StepRecord, TrainRun } from './train.js';
import type { TrainableName } from './trainable.js';

/**
 * Two vanishing-gradient detectors over the same training runs, so they can be compared:
 * (a) the document's (Diagnosis: VanishingGradientDetector), which looks at the size of the
 * whole recurrent-weight gradient; (b) this project's, which looks at how the gradient
 * reaching the state decays with temporal distance (the temporal profile).
 */

/** The document's `check_vanishing(threshold=1e-7)`. */
export const DOCUMENT_VANISHING_THRESHOLD = 1e-7;
/** The profile detector flags a loss of more than this many decades across the task's lag: the project's "negligible" (numerics/negligible.ts). */
export const PROFILE_VANISHING_DECADES = NEGLIGIBLE_DECADES;

type ParamStats = Partial<Record<TrainableName, ParamGradStats>>;

/**
 * The document's detector in this project's words: every update it logs, per trainable tensor,
 * the gradient's L2 norm, mean |g| and max |g| (before clipping, as PyTorch's `.grad` after
 * backward()); `checkVanishing` looks at the latest entry and reports the first tensor whose name
 * contains 'weight_hh' with norm below the threshold.
 */
export class GradientNormDetector {
  readonly history: ParamStats[] = [];

  constructor(readonly threshold = DOCUMENT_VANISHING_THRESHOLD) {
    if (!(threshold > 0)) throw new RangeError(`GradientNormDetector: threshold should be > 0, got ${threshold}`);
  }

  logGradients(stats: ParamStats): void {
    this.history.push(stats);
  }

  checkVanishing(): { vanishing: boolean; name: TrainableName | null; norm: number | null } {
    const latest = this.history[this.history.length - 1];
    if (!latest) return { vanishing: false, name: null, norm: null };
    for (const [name, stats] of Object.entries(latest) as [TrainableName, ParamGradStats][]) {
      if (name.includes('weight_hh') && stats.norm < this.threshold) return { vanishing: true, name, norm: stats.norm };
    }
    return { vanishing: false, name: null, norm: null };
  }

  /** A TrainOptions.onStep that feeds this detector with model `model`'s gradients. */
  callback(model = 0): (event: StepEvent) => void {
    return (event) => {
      if (event.model === model) this.logGradients(event.params);
    };
  }
}

export interface DocumentDetectorResult {
  readonly threshold: number;
  readonly totalSteps: number;
  /** Updates at which checkVanishing() was true. */
  readonly flaggedSteps: number;
  readonly firstFlaggedStep: number | null;
  readonly fired: boolean;
  readonly minWeightHhNorm: number;
  readonly finalWeightHhNorm: number;
  /** ‖∇W_hh‖ / ‖∇W_ih‖ at the last update (the document's symptom: "orders of magnitude smaller"). */
  readonly finalHhOverIh: number;
}

/** Replays a run's per-update statistics through the document's detector. */
export function documentDetector(steps: readonly StepRecord[], threshold = DOCUMENT_VANISHING_THRESHOLD): DocumentDetectorResult {
  const detector = new GradientNormDetector(threshold);
  let flaggedSteps = 0;
  let firstFlaggedStep: number | null = null;
  let minWeightHhNorm = Infinity;
  steps.forEach((s, i) => {
    detector.logGradients(s.params);
    minWeightHhNorm = Math.min(minWeightHhNorm, s.params.weight_hh?.norm ?? Infinity);
    if (detector.checkVanishing().vanishing) {
      flaggedSteps++;
      firstFlaggedStep ??= i;
    }
  });
  const last = steps[steps.length - 1]?.params;
  const hh = last?.weight_hh?.norm ?? NaN;
  const ih = last?.weight_ih?.norm ?? NaN;
  return {
    threshold,
    totalSteps: steps.length,
    flaggedSteps,
    firstFlaggedStep,
    fired: flaggedSteps > 0,
    minWeightHhNorm,
    finalWeightHhNorm: hh,
    finalHhOverIh: hh / ih,
  };
}

export interface ProfileDetectorResult {
  readonly decades: number;
  readonly lag: number;
  /** log10‖∂L/∂s_{T−1−lag}‖ − log10‖∂L/∂s_{T−1}‖; null when either end underflowed. */
  readonly gapDecades: number | null;
  /** Least-squares slope of log10‖∂L/∂s_t‖ against the distance d = T−1−t over d ∈ [0, lag] (finite points); negative = decay. */
  readonly ratePerStep: number | null;
  /** Distance over which the fitted profile falls by `decades`: decades / (−rate); Infinity when it does not fall. */
  readonly horizonSteps: number;
  /** Some ‖∂L/∂s_t‖ within the lag underflowed float32. */
  readonly underflow: boolean;
  /** gap < −decades, or an underflow within the lag. */
  readonly vanishing: boolean;
}

/**
 * The project's detector: from the temporal profile log10‖∂L/∂s_t‖ (t = 0..T−1) it measures how
 * many decades the gradient loses between the readout and the step the task needs (lag steps
 * back), and fits a decay rate per step, which gives an effective horizon.
 */
export function profileDetector(profile: Log10Series, lag: number, decades = PROFILE_VANISHING_DECADES): ProfileDetectorResult {
  const T = profile.log10.length;
  if (!Number.isInteger(lag) || lag < 1 || lag > T - 1) throw new RangeError(`profileDetector: lag should be an integer from 1 to T−1 = ${T - 1}, got ${lag}`);
  const at = (d: number): number | null => profile.log10[T - 1 - d];
  const xs: number[] = [];
  const ys: number[] = [];
  let underflow = false;
  for (let d = 0; d <= lag; d++) {
    const v = at(d);
    if (v === null) underflow = true;
    else if (Number.isFinite(v)) {
      xs.push(d);
      ys.push(v);
    }
  }
  const far = at(lag);
  const near = at(0);
  const gapDecades = far === null || near === null ? null : far - near;
  const ratePerStep = xs.length >= 2 ? fitLine(xs, ys).slope : null;
  const horizonSteps = ratePerStep !== null && ratePerStep < 0 ? decades / -ratePerStep : Infinity;
  const vanishing = underflow || (gapDecades !== null && gapDecades < -decades);
  return { decades, lag, gapDecades, ratePerStep, horizonSteps, underflow, vanishing };
}

export interface DetectorComparison {
  readonly document: DocumentDetectorResult;
  /** The profile detector on the first and the last probe of the run. */
  readonly profileInitial: ProfileDetectorResult;
  readonly profileFinal: ProfileDetectorResult;
  /** Probe steps at which the profile detector flagged vanishing, out of `probes`. */
  readonly profileFlagged: number;
  readonly probes: number;
}

/** Both detectors on one run. */
export function compareDetectors(run: TrainRun, decades = PROFILE_VANISHING_DECADES, threshold = DOCUMENT_VANISHING_THRESHOLD): DetectorComparison {
  const lag = Math.min(run.task.lag, run.task.seqLength - 1);
  const results = run.probes.map((p) => profileDetector(p.gradState, lag, decades));
  return {
    document: documentDetector(run.steps, threshold),
    profileInitial: results[0],
    profileFinal: results[results.length - 1],
    profileFlagged: results.filter((r) => r.vanishing).length,
    probes: results.length,
  };
}
