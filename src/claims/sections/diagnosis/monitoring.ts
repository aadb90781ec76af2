import { DEMO_CONFIG, type ModelConfig } from '../../../config/types.js';
import { DOCUMENT_VANISHING_THRESHOLD, PROFILE_VANISHING_DECADES } from '../../../experiments/detector.js';
import { paramGradStats } from '../../../probes/param-grads.js';
import { temporalProfile } from '../../../probes/gradient-profile.js';
import { judge, seriesByDistance } from '../../judge.js';
import { forEachShape } from '../../measure.js';
import { sourceOf } from '../../source.js';
import { ALL_MODELS, LOSS_PLOT, beyond, perRun, trainingClaim, type TrainingClaim } from '../../training/claim.js';
import type { Claim, ModelDomain } from '../../../engine/types.js';
import type { RunSummary } from '../../training/run-summary.js';
import { FLOAT32_NEGLIGIBLE_DECADES } from '../../rules.js';

/** Diagnosis, "Gradient Norm Monitoring": the document's VanishingGradientDetector and its check_vanishing threshold. */
const SECTION = 'Diagnosis' as const;
const SOURCE = sourceOf(import.meta.url);
/**
 * The temporal profile calls a run vanishing when the first step's gradient is this many decades below the last's:
 * a millionth, within a few float32 spacings (2⁻²³ ≈ 1.2·10⁻⁷) of vanishing when summed with the last step's share.
 */
export const VANISHING_DECADES = FLOAT32_NEGLIGIBLE_DECADES;

/** The premise of the Diagnosis claims on untrained models: the run's gradient vanishes through time. */
export const VANISHING_PREMISE =
  `the gradient vanishes through time: the temporal profile loses at least ${VANISHING_DECADES} decades ` +
  `between the last and the first step (a millionth: a share a float32 update cannot carry, ` +
  `claims/rules.ts), or underflows`;

/** Vanilla tanh cells at the demo scale (U(±a), a 0.05–0.1), where the gradient vanishes through time. */
export const vanishingDomain = (extra: Partial<ModelDomain> = {}): ModelDomain => ({
  kind: 'model',
  base: DEMO_CONFIG,
  hiddenSize: [32, 100],
  inputSize: 'hidden',
  recurrentUniform: [0.05, 0.1],
  ...extra,
});

/** Gradient statistics and the temporal profile of every configuration, batched by shape. */
export async function detectorEvidence(configs: readonly ModelConfig[]) {
  return forEachShape(configs, async (model) => {
    const [stats, profile] = [await paramGradStats(model), await temporalProfile(model)];
    return stats.map((s, c) => {
      const ys = profile.gradState[c].log10;
      const first = ys[0],
        last = ys[ys.length - 1];
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
  predicate: `‖∂L/∂W_hh‖ < ${DOCUMENT_VANISHING_THRESHOLD} (L = Σh_{T−1}, tfjs): the detector fires.`,
  keyNumber: { name: 'weightHhGradNorm', unit: '' },
  premise: { text: VANISHING_PREMISE },
  boundary:
    "∂L/∂W_hh sums every step's contribution, and the late steps' are of order 1, so its norm " +
    '({{vanishing-runs|weightHhGradNorm}}) stays far above 1e-7 however much the early steps vanish: the ' +
    'test measures the total, not its distribution over time.',
  regions: [
    {
      id: 'vanishing-runs',
      description: 'vanilla tanh at the demo scale, U(±a) with a 0.05–0.1, H = D 32–100, T 50',
      domain: vanishingDomain(),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: 'Temporal profile of a run the detector passes', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs) {
    return (await detectorEvidence(configs)).map((e) => {
      const vanishing = e.lost >= VANISHING_DECADES;
      const fires = e.stats.weight_hh.norm < DOCUMENT_VANISHING_THRESHOLD;
      return {
        ...judge(
          fires,
          { weightHhGradNorm: e.stats.weight_hh.norm, decadesLost: Number.isFinite(e.lost) ? e.lost : 'underflow (beyond float32)', fires, vanishing },
          [seriesByDistance('‖∂L/∂h_t‖ (tfjs)', e.profile)],
        ),
        inPremise: vanishing,
      };
    });
  },
};

/**
 * The premise of the training claims about runs that "suffer" from vanishing gradients: the
 * gradient across the task's lag vanished at every probe of the run, for as long as it trained.
 * Not the first probe alone: many runs whose initial profile vanishes learn, and their profile
 * recovers (see RunSummary.vanishingThroughout).
 */
export const SUFFERS_PREMISE =
  `the run suffers from vanishing gradients: it did not learn the task, and at every probe while it ` +
  `trained (the first update, then every tenth of the budget) ‖∂L/∂s‖ lost more than ` +
  `${PROFILE_VANISHING_DECADES} decades between the readout and the lag (or underflowed)`;

/** {@link SUFFERS_PREMISE} of a run's summary. */
export const suffers = (run: RunSummary): boolean => run.vanishingThroughout && !run.learned;

/** The document's detector replayed over training runs that suffer from vanishing gradients. */
export const VG_DIAG_DETECTOR_TRAINED: TrainingClaim = trainingClaim(
  {
    id: 'VG-DIAG-DETECTOR-TRAINED',
    section: SECTION,
    kind: 'code',
    statement: "The document's detector (the recurrent weights' gradient norm below 10⁻⁷) flags training runs that suffer from vanishing gradients.",
    predicate:
      `Replaying every update's per-parameter norm, mean |g| and max |g| through the detector, it fired at ` +
      `some update (‖∇W_hh‖ < ${DOCUMENT_VANISHING_THRESHOLD}).`,
    keyNumber: { name: 'solvedAt', unit: 'updates' },
    reading:
      'The detector is offered as a check for vanishing gradients, so it is tested on the runs that have ' +
      'them (its sensitivity). Whether it stays silent on runs that do not is not the claim; those runs are ' +
      'counted as outside the premise.',
    premise: { text: SUFFERS_PREMISE },
    boundary: [
      'The runs that suffer (did not learn, and the gradient across the lag vanished at every probe) are ' +
        'the layer-norm cell and the LSTM with forget bias 0 on recall at lags 20 to 100, the other gated ' +
        'models on recall at lags 50 and 100, and the demo-initialised and residual cells on the adding problem at lag 50.',
      'The detector flags none of them: the smallest ‖∂L/∂W_hh‖ over a run is ' +
        '{{recall/lstm-fb0/lag-20|minNormWhh|min}} in the LSTM with forget bias 0 at recall lag 20, against ' +
        'its threshold of 10⁻⁷, and {{adding/rnn-demo/lag-50|minNormWhh}} for the demo-initialised vanilla ' +
        "RNN on the adding problem, because it sums every step's contribution and the recent steps dominate.",
      'Beyond the premise (runs that learn, or whose gradient recovers) it stays silent too.',
    ].join(' '),
    models: ALL_MODELS,
    scope: 'lag',
    plot: LOSS_PLOT,
    expected: {
      recall: {
        'rnn-demo': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted'), 100: beyond('refuted') },
        'rnn-orthogonal': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted'), 100: beyond('refuted') },
        residual: { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted'), 100: beyond('refuted') },
        layernorm: { 5: beyond('refuted'), 10: beyond('refuted'), 20: 'refuted', 50: 'refuted', 100: 'refuted' },
        'lstm-fb0': { 5: beyond('refuted'), 10: beyond('refuted'), 20: 'refuted', 50: 'refuted', 100: 'refuted' },
        'lstm-fb1': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: 'refuted', 100: 'refuted' },
        gru: { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: 'refuted', 100: 'refuted' },
      },
      adding: {
        'rnn-demo': { 10: beyond('refuted'), 20: beyond('refuted'), 50: 'refuted' },
        'rnn-orthogonal': { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
        residual: { 10: beyond('refuted'), 20: beyond('refuted'), 50: 'refuted' },
        layernorm: { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
        'lstm-fb0': { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
        'lstm-fb1': { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
        gru: { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
      },
    },
    evaluate: (plan) => (s) => perRun(plan, s, (run) => run.documentDetectorFired, { premise: suffers }),
  },
  SOURCE,
);
