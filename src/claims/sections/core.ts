import { DEMO_CONFIG } from '../../config/types.js';
import { bandOf } from '../../engine/bands.js';
import { linearFit } from '../../numerics/stats.js';
import { gradientEvidence, profileOf } from '../evidence.js';
import { EXPONENTIAL_R2 } from '../measure.js';
import { judge, measuredByDistance } from '../judge.js';
import { sourceOf } from '../source.js';
import { LOSS_PLOT, LEARNED, VANILLA, perRun, trainingClaim, type TrainingClaim } from '../training/claim.js';
import type { Claim, ModelDomain } from '../../engine/types.js';

/** The Core Problem: the gradient shrinks exponentially with distance, so a vanilla RNN cannot learn long-range dependencies. */
const SECTION = 'The Core Problem' as const;
const SOURCE = sourceOf(import.meta.url);

const pytorchRnn: ModelDomain = { kind: 'model', base: { ...DEMO_CONFIG, recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' } }, hiddenSize: [16, 100], inputSize: 'hidden', seqLength: [30, 100] };

export const VG_CORE_EXP_SHRINK: Claim<ModelDomain> = {
  id: 'VG-CORE-EXP-SHRINK',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'In a vanilla RNN, backpropagation through time shrinks the gradient exponentially with the number of steps it crosses.',
  predicate: `A least-squares line through log10 ‖∂L/∂h_t‖ (float32 on the kernel engine; the float64 oracle where float32 underflows, its record names the source) against the distance from the end has a negative slope (decay) and R² ≥ ${EXPONENTIAL_R2} (a straight line on a log scale: exponential; one threshold for every exponential-decay claim, see claims/measure.ts).`,
  boundary: 'Holds for tanh cells at PyTorch\'s default initialisation; a ReLU cell with identity W_hh (IRNN) is split: some seeds and sizes decay in a straight line, others barely decay or do not follow a line.',
  regions: [
    { id: 'tanh-pytorch-default', description: "tanh at PyTorch's default, H = D 16–100, T 30–100", domain: pytorchRnn, expected: 'holds', runs: 25 },
    { id: 'relu-identity', description: 'ReLU with identity W_hh and zero bias (IRNN), H = D 16–64, T 30–100', domain: { ...pytorchRnn, base: { ...pytorchRnn.base, activation: 'relu', recurrentInit: { kind: 'identity', scale: 1 }, biasInit: { kind: 'zeros' } }, hiddenSize: [16, 64] }, expected: 'mixed', band: bandOf(12, 25), runs: 25 },
  ],
  plot: { title: 'Gradient against distance', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileOf(e);
      const ys = m.values;
      const T = ys.length;
      // A ReLU cell can zero the gradient exactly (every unit inactive): vanished, but not along a line.
      const zeroAt = ys.findIndex((y) => y === -Infinity);
      if (zeroAt >= 0) return judge(false, { exactZeroGradientAtDistance: T - 1 - zeroAt }, [measuredByDistance('‖∂L/∂h_t‖', m)], [m]);
      const fit = linearFit(ys.map((_, t) => T - 1 - t), ys);
      return judge(fit.slope < 0 && fit.r2 >= EXPONENTIAL_R2, { decadesPerStep: -fit.slope, r2: fit.r2 }, [measuredByDistance('‖∂L/∂h_t‖', m)], [m]);
    });
  },
};

/** The training side of the core problem: trained vanilla RNNs against the lag. */
export const VG_CORE_NO_LONG_LEARNING: TrainingClaim = trainingClaim({
  id: 'VG-CORE-NO-LONG-LEARNING', section: SECTION, kind: 'empirical',
  statement: 'A vanilla RNN cannot learn a dependency between sequence elements that are far apart.',
  predicate: `The trained model has not learned the task: it fails "learned" (${LEARNED}).`,
  boundary: 'Depends on the task, the lag, the initialisation and the budget (5 seeds, trained to the criterion or 8000 updates). Refuted on recall for orthogonal W_hh at every lag up to 100 (median 300 to 1300 updates) and for the demo initialisation at lags 5 and 10. The demo initialisation learns recall at lag 20 in every seed and at lags 50 and 100 in 4 and 3 of 5, but one seed needs 5800 updates at lag 20 and every seed more than 4000 at lags 50 and 100: those three regions are budget-limited. Holds on the adding problem at lag 50 for both initialisations within 8000 updates; both learn it at lag 10 (median 1000 and 2500 updates).',
  models: VANILLA, scope: 'lag', plot: LOSS_PLOT,
  expected: {
    recall: {
      'rnn-demo':       { 5: 'refuted', 10: 'refuted', 20: 'budget-limited', 50: 'budget-limited', 100: 'budget-limited' },
      'rnn-orthogonal': { 5: 'refuted', 10: 'refuted', 20: 'refuted', 50: 'refuted', 100: 'refuted' },
    },
    adding: {
      'rnn-demo':       { 10: 'refuted', 50: 'holds' },
      'rnn-orthogonal': { 10: 'refuted', 50: 'holds' },
    },
  },
  evaluate: (plan) => (s) => perRun(plan, s, (run) => !run.learned),
}, SOURCE);
