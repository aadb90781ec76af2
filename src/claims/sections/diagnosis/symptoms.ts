import { DEMO_CONFIG } from '../../../config/types.js';
import { PROFILE_VANISHING_DECADES } from '../../../experiments/detector.js';
import type { GridCell } from '../../../experiments/grid.js';
import { PLATEAU_MIN_IMPROVEMENT, PLATEAU_TAIL_FRACTION } from '../../../experiments/metrics.js';
import { finalStateSensitivity } from '../../../probes/sensitivity.js';
import { judge, seriesByDistance } from '../../judge.js';
import { forEachShape } from '../../measure.js';
import { sourceOf } from '../../source.js';
import { ALL_MODELS, LAG_PLOT, LEARNED, LOSS_PLOT, lossRatioByLag, mixed, overLags, perRun, trainingClaim, type TrainingClaim } from '../../training/claim.js';
import { runsOf } from '../../training/evidence.js';
import type { Claim, ModelDomain } from '../../../engine/types.js';
import { VANISHING_DECADES, detectorEvidence, vanishingDomain } from './monitoring.js';

/**
 * Diagnosis, "Symptoms": the document's table of indicators (loss plateaus early, poor
 * long-sequence accuracy, near-zero weight_hh gradients, hidden states collapse).
 */
const SECTION = 'Diagnosis' as const;
const SOURCE = sourceOf(import.meta.url);

/**
 * "Negligible" in the training claims: one part in a thousand (3 decades). A profile that loses
 * more than that across the lag leaves the early input under 10⁻³ of the readout's gradient.
 */
const VANISHING_RULE = `more than ${PROFILE_VANISHING_DECADES} decades across the lag (or underflows): the early input then gets under one thousandth of the readout's gradient, the project's one threshold for "negligible" in training runs`;

export const VG_DIAG_PLATEAU: TrainingClaim = trainingClaim({
  id: 'VG-DIAG-PLATEAU', section: SECTION, kind: 'empirical',
  statement: 'A training loss that stops improving after an initial drop is a sign of vanishing gradients.',
  predicate: `The run is stuck (the loss's moving average improves by less than ${PLATEAU_MIN_IMPROVEMENT * 100}% over the last ${PLATEAU_TAIL_FRACTION * 100}% of updates, the document's "stops decreasing" read as a change within 1% of the loss level, and the task was not learned) exactly when its initial temporal profile loses ${VANISHING_RULE}.`,
  boundary: 'Split across models, tasks and lags. Holds (stuck exactly when the initial profile vanishes) for every LSTM region on recall, for the GRU on recall except lag 20 and for most regions at lag 5 and 10. Refuted where runs solve although the initial profile loses more than 6 decades across the lag (orthogonal W_hh on recall at lags 50 and 100, the GRU at recall lag 20, both LSTMs and the GRU on the adding problem at lag 50): a vanishing initial profile does not stop those models from learning. With training to a criterion, solved runs stop early and cannot plateau, so the predicate tests whether the runs that fail are the ones whose initial profile vanishes. The vanilla and residual cells on recall at lags 20 to 100 and the layer-norm cell on the adding problem at lag 50 are split or budget-limited.',
  models: ALL_MODELS, scope: 'lag', plot: LOSS_PLOT,
  expected: {
    recall: {
      'rnn-demo':       { 5: 'holds', 10: 'refuted', 20: 'budget-limited', 50: 'budget-limited', 100: mixed(2, 5) },
      'rnn-orthogonal': { 5: 'holds', 10: 'holds', 20: 'holds', 50: 'refuted', 100: 'refuted' },
      'residual':       { 5: 'holds', 10: mixed(2, 5), 20: mixed(1, 5), 50: 'budget-limited', 100: 'budget-limited' },
      'layernorm':      { 5: 'holds', 10: mixed(2, 5), 20: 'holds', 50: 'holds', 100: 'holds' },
      'lstm-fb0':       { 5: 'holds', 10: 'holds', 20: 'holds', 50: 'holds', 100: 'holds' },
      'lstm-fb1':       { 5: 'holds', 10: 'holds', 20: 'holds', 50: 'holds', 100: 'holds' },
      'gru':            { 5: 'holds', 10: 'holds', 20: 'refuted', 50: 'holds', 100: 'holds' },
    },
    adding: {
      'rnn-demo':       { 10: 'refuted', 50: mixed(3, 5) },
      'rnn-orthogonal': { 10: 'holds', 50: mixed(3, 5) },
      'residual':       { 10: mixed(2, 5), 50: mixed(2, 5) },
      'layernorm':      { 10: 'holds', 50: 'budget-limited' },
      'lstm-fb0':       { 10: 'holds', 50: 'refuted' },
      'lstm-fb1':       { 10: 'holds', 50: 'refuted' },
      'gru':            { 10: 'holds', 50: 'refuted' },
    },
  },
  evaluate: (plan) => (s) => perRun(plan, s, (run) => (run.plateaued && !run.learned) === run.profileVanishingInitial),
}, SOURCE);

export const VG_DIAG_LONG_SEQUENCES: TrainingClaim = trainingClaim({
  id: 'VG-DIAG-LONG-SEQUENCES', section: SECTION, kind: 'empirical',
  statement: 'A model with vanishing gradients does well on short sequences and fails on long ones.',
  predicate: `For one seed: the model learned the plan's shortest lag and did not learn its longest (${LEARNED}). Read with the model: the symptom is only diagnostic if models without the problem do not show it.`,
  boundary: 'Holds for the layer-norm cell and the gated models on recall (they learn lag 5, not lag 100) and for the vanilla and residual cells on the adding problem (lag 10, not 50). Refuted for orthogonal W_hh on recall (it learns lag 100) and for the LSTM with forget bias 1 and the GRU on the adding problem (they learn lag 50). Budget-limited where long lags are learned only after 4000 updates: the demo and residual cells on recall, the layer-norm cell and the LSTM with forget bias 0 on the adding problem. The symptom is not diagnostic of vanishing gradients alone: the gated models show it on recall, where their forget gates, not tanh saturation, limit memory.',
  models: ALL_MODELS, scope: 'lags', plot: LAG_PLOT,
  expected: {
    recall: {
      'rnn-demo':       { '5-100': 'budget-limited', '5-20': 'budget-limited' },
      'rnn-orthogonal': { '5-100': 'refuted', '5-20': 'refuted' },
      'residual':       { '5-100': 'budget-limited' },
      'layernorm':      { '5-100': 'holds' },
      'lstm-fb0':       { '5-100': 'holds' },
      'lstm-fb1':       { '5-100': 'holds', '5-20': 'refuted' },
      'gru':            { '5-100': 'holds', '5-20': 'refuted' },
    },
    adding: {
      'rnn-demo':       { '10-50': 'holds' },
      'rnn-orthogonal': { '10-50': 'holds' },
      'residual':       { '10-50': 'holds' },
      'layernorm':      { '10-50': 'budget-limited' },
      'lstm-fb0':       { '10-50': 'budget-limited' },
      'lstm-fb1':       { '10-50': 'refuted' },
      'gru':            { '10-50': 'refuted' },
    },
  },
  evaluate: (plan) => (subjects) => Promise.all(subjects.map(async (s) => {
    const cells = await runsOf(s, plan);
    const first = cells[0], last = cells[cells.length - 1];
    const symptom = (list: readonly GridCell[]): boolean => list[0].run.learned && !list[list.length - 1].run.learned;
    return overLags(cells, symptom, judge(symptom(cells), {
      seed: s.seed, shortLag: first.lag, learnedShort: first.run.learned, longLag: last.lag, learnedLong: last.run.learned,
      lossOverBaselineShort: first.run.final.loss / first.run.task.baseline, lossOverBaselineLong: last.run.final.loss / last.run.task.baseline,
    }, [lossRatioByLag(cells, s.seed)]));
  })),
}, SOURCE);

export const VG_DIAG_HH_VS_IH: Claim<ModelDomain> = {
  id: 'VG-DIAG-HH-VS-IH',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'A symptom of vanishing gradients is that the recurrent weights\' gradient norm is orders of magnitude below the input weights\'.',
  predicate: `On runs that lose at least ${VANISHING_DECADES} decades through time, ‖∂L/∂W_hh‖ ≤ 0.1·‖∂L/∂W_ih‖ (at least one order of magnitude).`,
  regions: [{ id: 'vanishing-runs', description: 'vanilla tanh at the demo scale, U(±a) with a 0.05–0.1, H = D 32–100, T 50', domain: vanishingDomain(), expected: 'refuted', runs: 25 }],
  async evaluate(configs) {
    return (await detectorEvidence(configs)).map((e) => {
      const ratio = e.stats.weight_hh.norm / e.stats.weight_ih.norm;
      return judge(e.lost < VANISHING_DECADES || ratio <= 0.1, { hhOverIh: ratio, decadesLost: Number.isFinite(e.lost) ? e.lost : 'underflow (beyond float32)', weightHhGradNorm: e.stats.weight_hh.norm, weightIhGradNorm: e.stats.weight_ih.norm });
    });
  },
};

/** "Barely depends": the early input moves the final state by under a thousandth of the last input's effect, the project's rule for "negligible". */
const COLLAPSE_DECADES = 3;

export const VG_DIAG_COLLAPSE: Claim<ModelDomain> = {
  id: 'VG-DIAG-COLLAPSE',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'When gradients vanish, the final hidden state barely depends on the early inputs.',
  predicate: `‖∂h_{T−1}/∂x_0‖_F is at least ${COLLAPSE_DECADES} decades below ‖∂h_{T−1}/∂x_{T−1}‖_F (tfjs, one batched pass).`,
  regions: [
    { id: 'demo-scale', description: 'vanilla tanh at the demo scale, U(±a) with a 0.05–0.1, H = D 32–100, T 50', domain: vanishingDomain(), expected: 'holds', runs: 25 },
    { id: 'orthogonal-linear', description: 'linear cell with orthogonal W_hh (no vanishing), H = D 16–64', domain: vanishingDomain({ base: { ...DEMO_CONFIG, activation: 'linear', recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } }, recurrentUniform: undefined, hiddenSize: [16, 64] }), expected: 'refuted', runs: 25 },
  ],
  plot: { title: 'Sensitivity of the final state to each input', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂h_{T−1}/∂x_t‖_F' },
  async evaluate(configs) {
    const sens = await forEachShape(configs, (model) => finalStateSensitivity(model));
    return sens.map((s) => {
      const first = s.log10[0], last = s.log10[s.log10.length - 1];
      const gap = last === null ? -Infinity : first === null ? Infinity : last - first;
      return judge(gap >= COLLAPSE_DECADES, { decadesBelowLastInput: first === null ? 'underflow' : gap }, [seriesByDistance('‖∂h_{T−1}/∂x_t‖ (tfjs)', s.log10)]);
    });
  },
};
