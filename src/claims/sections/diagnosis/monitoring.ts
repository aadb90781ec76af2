import { DEMO_CONFIG, type ModelConfig } from '../../../config/types.js';
import { DOCUMENT_VANISHING_THRESHOLD, PROFILE_VANISHING_DECADES } from '../../../experiments/detector.js';
import { paramGradStats } from '../../../probes/param-grads.js';
import { temporalProfile } from '../../../probes/gradient-profile.js';
import { judge, seriesByDistance } from '../../judge.js';
import { forEachShape } from '../../measure.js';
import { sourceOf } from '../../source.js';
import { ALL_MODELS, LOSS_PLOT, mixed, perRun, trainingClaim, type TrainingClaim } from '../../training/claim.js';
import type { Claim, ModelDomain } from '../../../engine/types.js';

/** Diagnosis, "Gradient Norm Monitoring": the document's VanishingGradientDetector and its check_vanishing threshold. */
const SECTION = 'Diagnosis' as const;
const SOURCE = sourceOf(import.meta.url);
/**
 * The temporal profile calls a run vanishing when the first step's gradient is this many decades below the last's:
 * a millionth, within a few float32 spacings (2⁻²³ ≈ 1.2·10⁻⁷) of vanishing when summed with the last step's share.
 */
export const VANISHING_DECADES = 6;

/** Vanilla tanh cells at the demo scale (U(±a), a 0.05–0.1), where the gradient vanishes through time. */
export const vanishingDomain = (extra: Partial<ModelDomain> = {}): ModelDomain => ({ kind: 'model', base: DEMO_CONFIG, hiddenSize: [32, 100], inputSize: 'hidden', recurrentUniform: [0.05, 0.1], ...extra });

/** Gradient statistics and the temporal profile of every configuration, batched by shape. */
export async function detectorEvidence(configs: readonly ModelConfig[]) {
  return forEachShape(configs, async (model) => {
    const [stats, profile] = [await paramGradStats(model), await temporalProfile(model)];
    return stats.map((s, c) => {
      const ys = profile.gradState[c].log10;
      const first = ys[0], last = ys[ys.length - 1];
      const lost = first === null || last === null ? Infinity : last - first;
      return { stats: s, profile: ys, lost };
    });
  });
}

export const VG_DIAG_DETECTOR: Claim<ModelDomain> = {
  id: 'VG-DIAG-DETECTOR',
  section: SECTION,
  source: SOURCE,
  kind: 'code',
  statement: "The detector's test (recurrent-weight gradient norm below 1e-7) flags runs whose gradients vanish through time.",
  predicate: `On every run whose temporal profile loses at least ${VANISHING_DECADES} decades between the last and the first step, ‖∂L/∂W_hh‖ < ${DOCUMENT_VANISHING_THRESHOLD} (L = Σh_{T−1}, tfjs).`,
  boundary: "∂L/∂W_hh sums every step's contribution, and the late steps' are of order 1, so its norm stays far above 1e-7 however much the early steps vanish: the test measures the total, not its distribution over time.",
  regions: [{ id: 'vanishing-runs', description: 'vanilla tanh at the demo scale, U(±a) with a 0.05–0.1, H = D 32–100, T 50', domain: vanishingDomain(), expected: 'refuted', runs: 25 }],
  plot: { title: 'Temporal profile of a run the detector passes', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs) {
    return (await detectorEvidence(configs)).map((e) => {
      const vanishing = e.lost >= VANISHING_DECADES;
      const fires = e.stats.weight_hh.norm < DOCUMENT_VANISHING_THRESHOLD;
      return judge(!vanishing || fires, { decadesLost: Number.isFinite(e.lost) ? e.lost : 'underflow (beyond float32)', weightHhGradNorm: e.stats.weight_hh.norm, fires, vanishing }, [seriesByDistance('‖∂L/∂h_t‖ (tfjs)', e.profile)]);
    });
  },
};

/** The document's detector replayed over training runs, against the project's profile detector. */
export const VG_DIAG_DETECTOR_TRAINED: TrainingClaim = trainingClaim({
  id: 'VG-DIAG-DETECTOR-TRAINED', section: SECTION, kind: 'code',
  statement: 'The document\'s detector (the recurrent weights\' gradient norm below 10⁻⁷) flags training runs that suffer from vanishing gradients.',
  predicate: `Replaying every update's per-parameter norm, mean |g| and max |g| through the detector: it fired at some update (‖∇W_hh‖ < ${DOCUMENT_VANISHING_THRESHOLD}) exactly when the run's initial temporal profile loses more than ${PROFILE_VANISHING_DECADES} decades across the lag (or underflows). The project's profile detector is that reference; the overview test compares both against learning.`,
  boundary: 'The document\'s detector and the profile detector agree only where neither fires: short lags (5 to 20 for most models) and orthogonal W_hh on the adding problem. Everywhere the initial profile vanishes (recall at lags 20 to 100, the adding problem at lag 50) the document\'s threshold of 10⁻⁷ on ‖∇W_hh‖ never fires: the recurrent weights\' gradient norm stays far above it, because it sums every step\'s contribution and the recent steps dominate.',
  models: ALL_MODELS, scope: 'lag', plot: LOSS_PLOT,
  expected: {
    recall: {
      'rnn-demo':       { 5: 'holds', 10: 'refuted', 20: 'refuted', 50: 'refuted', 100: 'refuted' },
      'rnn-orthogonal': { 5: 'holds', 10: 'holds', 20: 'holds', 50: 'refuted', 100: 'refuted' },
      'residual':       { 5: 'holds', 10: mixed(2, 5), 20: 'refuted', 50: 'refuted', 100: 'refuted' },
      'layernorm':      { 5: 'holds', 10: 'holds', 20: 'refuted', 50: 'refuted', 100: 'refuted' },
      'lstm-fb0':       { 5: 'holds', 10: 'holds', 20: 'refuted', 50: 'refuted', 100: 'refuted' },
      'lstm-fb1':       { 5: 'holds', 10: 'holds', 20: 'holds', 50: 'refuted', 100: 'refuted' },
      'gru':            { 5: 'holds', 10: 'holds', 20: 'refuted', 50: 'refuted', 100: 'refuted' },
    },
    adding: {
      'rnn-demo':       { 10: 'refuted', 50: 'refuted' },
      'rnn-orthogonal': { 10: 'holds', 50: 'holds' },
      'residual':       { 10: mixed(2, 5), 50: 'refuted' },
      'layernorm':      { 10: 'holds', 50: 'refuted' },
      'lstm-fb0':       { 10: 'holds', 50: 'refuted' },
      'lstm-fb1':       { 10: 'holds', 50: 'refuted' },
      'gru':            { 10: 'holds', 50: 'refuted' },
    },
  },
  evaluate: (plan) => (s) => perRun(plan, s, (run) => run.documentDetectorFired === run.profileVanishingInitial),
}, SOURCE);
