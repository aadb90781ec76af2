import { DEMO_CONFIG } from '../../../config/types.js';
import { PROFILE_VANISHING_DECADES } from '../../../experiments/detector.js';
import type { GridCell } from '../../../experiments/grid.js';
import { PLATEAU_MIN_IMPROVEMENT, PLATEAU_TAIL_FRACTION } from '../../../experiments/metrics.js';
import { oracleEvidence } from '../../evidence.js';
import { NEGLIGIBLE_DECADES } from '../../rules.js';
import { finalStateSensitivity } from '../../../probes/sensitivity.js';
import { judge, seriesByDistance } from '../../judge.js';
import { forEachShape } from '../../measure.js';
import { sourceOf } from '../../source.js';
import {
  ALL_MODELS,
  LAG_PLOT,
  LEARNED,
  LOSS_PLOT,
  beyond,
  lossRatioByLag,
  mixed,
  overLags,
  perRun,
  trainingClaim,
  type TrainingClaim,
} from '../../training/claim.js';
import { runsOf } from '../../training/evidence.js';
import type { Claim, ModelDomain } from '../../../engine/types.js';
import { SUFFERS_PREMISE, VANISHING_DECADES, VANISHING_PREMISE, detectorEvidence, suffers, vanishingDomain } from './monitoring.js';

/**
 * Diagnosis, "Symptoms": the document's table of indicators (loss plateaus early, poor
 * long-sequence accuracy, near-zero weight_hh gradients, hidden states collapse).
 */
const SECTION = 'Diagnosis' as const;
const SOURCE = sourceOf(import.meta.url);

/** "Early": the plateau begins in the first half of the updates the run received. */
const EARLY_FRACTION = 0.5;

export const VG_DIAG_PLATEAU: TrainingClaim = trainingClaim(
  {
    id: 'VG-DIAG-PLATEAU',
    section: SECTION,
    kind: 'empirical',
    statement: 'A training loss that stops improving early, after an initial drop, is a sign of vanishing gradients.',
    predicate:
      `The gradient across the lag stayed vanished: at every probe while the run trained, ‖∂L/∂s‖ lost more ` +
      `than ${PROFILE_VANISHING_DECADES} decades between the readout and the lag (or underflowed). (The ` +
      `symptom already says the task was not learned.)`,
    keyNumber: { name: 'solvedAt', unit: 'updates' },
    reading:
      `"A sign" read as: runs that show the symptom suffer from the cause (the symptom implies vanishing), ` +
      `not the converse. The symptom: the loss's moving average improves by less than ` +
      `${PLATEAU_MIN_IMPROVEMENT * 100}% over the last ${PLATEAU_TAIL_FRACTION * 100}% of updates without ` +
      `the task being learned ("stops decreasing" as a change within 1% of the loss level), the plateau ` +
      `begins in the first ${EARLY_FRACTION * 100}% of the updates ("early"), and the held-out loss had ` +
      `fallen by at least ${PLATEAU_MIN_IMPROVEMENT * 100}% from its value before training by then ("after ` +
      `an initial drop": a fall the plateau test itself would call a decrease).`,
    premise: { text: 'the run shows the symptom: its loss plateaued early, after an initial drop, and the task was not learned (see the reading)' },
    boundary: [
      'The symptom (an early plateau after an initial drop, the task not learned) is met in at least half ' +
        'the runs only for the layer-norm cell on recall at lags 10 to 100.',
      'There the gradient across the lag stayed vanished at every probe in ' +
        '{{recall/layernorm/lag-20|holds}}, {{recall/layernorm/lag-50|holds}} and ' +
        '{{recall/layernorm/lag-100|holds}} of 5 runs at lags 20, 50 and 100, and in none of the ' +
        '{{recall/layernorm/lag-10|cases}} runs with the symptom at lag 10.',
      'Elsewhere the symptom is rare: runs that fail mostly never drop or keep improving slowly, so the other regions are probes.',
    ].join(' '),
    models: ALL_MODELS,
    scope: 'lag',
    plot: LOSS_PLOT,
    expected: {
      recall: {
        'rnn-demo': { 5: beyond('refuted'), 10: beyond(mixed(4, 5)), 20: beyond(mixed(3, 5)), 50: beyond(mixed(4, 5)), 100: beyond(mixed(4, 5)) },
        'rnn-orthogonal': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond(mixed(3, 5)), 100: beyond(mixed(2, 5)) },
        residual: { 5: beyond('refuted'), 10: beyond(mixed(3, 5)), 20: beyond(mixed(4, 5)), 50: beyond('budget-limited'), 100: beyond('budget-limited') },
        layernorm: { 5: beyond('refuted'), 10: 'refuted', 20: 'holds', 50: 'holds', 100: 'holds' },
        'lstm-fb0': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('holds'), 50: beyond('holds'), 100: beyond('holds') },
        'lstm-fb1': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('holds'), 100: beyond('holds') },
        gru: { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond(mixed(3, 5)), 50: beyond('holds'), 100: beyond('holds') },
      },
      adding: {
        'rnn-demo': { 10: beyond('refuted'), 20: beyond('budget-limited'), 50: beyond('holds') },
        'rnn-orthogonal': { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
        residual: { 10: beyond(mixed(1, 5)), 20: beyond(mixed(1, 5)), 50: beyond('budget-limited') },
        layernorm: { 10: beyond('refuted'), 20: beyond(mixed(1, 5)), 50: beyond(mixed(1, 5)) },
        'lstm-fb0': { 10: beyond('refuted'), 20: beyond(mixed(4, 5)), 50: beyond(mixed(3, 5)) },
        'lstm-fb1': { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond(mixed(1, 5)) },
        gru: { 10: beyond('refuted'), 20: beyond('holds'), 50: beyond(mixed(3, 5)) },
      },
    },
    evaluate: (plan) => (s) =>
      perRun(plan, s, (run) => run.vanishingThroughout, {
        premise: (run) =>
          run.plateaued &&
          !run.learned &&
          run.plateauOnsetUpdate !== null &&
          run.plateauOnsetUpdate <= EARLY_FRACTION * run.updates &&
          (run.dropBeforePlateau ?? 0) >= PLATEAU_MIN_IMPROVEMENT,
      }),
  },
  SOURCE,
);

/** The recurrent weights' gradient "orders of magnitude" below the input weights': at least one order, a factor 10. */
const ORDERS_BELOW = 0.1;

export const VG_DIAG_HH_VS_IH_TRAINED: TrainingClaim = trainingClaim(
  {
    id: 'VG-DIAG-HH-VS-IH-TRAINED',
    section: SECTION,
    kind: 'empirical',
    statement: "In training runs that suffer from vanishing gradients, the recurrent weights' gradient norm is orders of magnitude below the input weights'.",
    predicate: `At the run's last update, ‖∇W_hh‖ ≤ ${ORDERS_BELOW}·‖∇W_ih‖ (at least one order of magnitude; before clipping).`,
    keyNumber: { name: 'solvedAt', unit: 'updates' },
    premise: { text: SUFFERS_PREMISE },
    boundary: [
      'In the runs that suffer (not learned, gradient across the lag vanished at every probe), ‖∇W_hh‖ / ' +
        '‖∇W_ih‖ at the last update stays above 0.1 for the layer-norm cell on recall (lags 20 to 100) and ' +
        'for the demo-initialised and residual cells on the adding problem at lag 50 (the demo-initialised ' +
        'RNN: {{adding/rnn-demo/lag-50|hhOverIh}}), and is split for the gated models on recall (lags 50 and ' +
        '100, and 20 for the LSTM with forget bias 0), where it falls below 0.1 in some seeds and not in others.',
      'The other regions hold no or few suffering runs and are probes.',
    ].join(' '),
    models: ALL_MODELS,
    scope: 'lag',
    plot: LOSS_PLOT,
    expected: {
      recall: {
        'rnn-demo': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('budget-limited'), 100: beyond(mixed(1, 5)) },
        'rnn-orthogonal': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted'), 100: beyond('refuted') },
        residual: { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted'), 100: beyond('refuted') },
        layernorm: { 5: beyond('refuted'), 10: beyond('refuted'), 20: 'refuted', 50: 'refuted', 100: 'refuted' },
        'lstm-fb0': { 5: beyond('refuted'), 10: beyond('refuted'), 20: mixed(3, 5), 50: mixed(4, 5), 100: mixed(4, 5) },
        'lstm-fb1': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: mixed(4, 5), 100: mixed(3, 5) },
        gru: { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: mixed(3, 5), 100: mixed(4, 5) },
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
    evaluate: (plan) => (s) => perRun(plan, s, (run) => run.hhOverIh <= ORDERS_BELOW, { premise: suffers }),
  },
  SOURCE,
);

/** "Similar regardless of early input": redrawing the early inputs moves the final state by under a thousandth of its size. */
const COLLAPSED = 10 ** -NEGLIGIBLE_DECADES;

export const VG_DIAG_COLLAPSE_TRAINED: TrainingClaim = trainingClaim(
  {
    id: 'VG-DIAG-COLLAPSE-TRAINED',
    section: SECTION,
    kind: 'empirical',
    statement: 'In training runs that suffer from vanishing gradients, the final hidden states become similar whatever the early inputs were.',
    reading:
      '"Hidden states collapse" read on the trained model: how much redrawing the early inputs moves the ' +
      'final state, measured once at the end of training (so the verdict has no budget ladder).',
    predicate:
      `At the end of training, redrawing every input before the lag changes the final hidden state by at ` +
      `most ${COLLAPSED} of its size (RMS ‖h_{T−1}(x) − h_{T−1}(x′)‖ / RMS ‖h_{T−1}(x)‖ over the 512 ` +
      `held-out sequences; a thousandth, the project's "negligible").`,
    keyNumber: { name: 'solvedAt', unit: 'updates' },
    premise: { text: SUFFERS_PREMISE },
    boundary: [
      'In the runs that suffer, the trained layer-norm cell and the gated models on recall (lags 20 to 100 ' +
        'for the layer-norm cell and the LSTM with forget bias 0, 50 and 100 for the others) do collapse: ' +
        'redrawing every input before the lag moves the final state by less than 10⁻³ of its size in every ' +
        'such run (a GRU at lag 50: {{recall/gru/lag-50|collapseFinal}}).',
      'Split on the adding problem at lag 50: in the demo-initialised and residual RNNs some suffering runs ' +
        'keep the early inputs in the final state (up to {{adding/rnn-demo/lag-50|collapseFinal|max}} of its size).',
      'The other regions hold no or few suffering runs and are probes.',
    ].join(' '),
    models: ALL_MODELS,
    scope: 'lag',
    plot: LOSS_PLOT,
    expected: {
      recall: {
        'rnn-demo': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond(mixed(1, 5)), 100: beyond(mixed(2, 5)) },
        'rnn-orthogonal': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted'), 100: beyond('refuted') },
        residual: { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond(mixed(1, 5)), 50: beyond(mixed(2, 5)), 100: beyond(mixed(3, 5)) },
        layernorm: { 5: beyond('refuted'), 10: beyond(mixed(3, 5)), 20: 'holds', 50: 'holds', 100: 'holds' },
        'lstm-fb0': { 5: beyond('refuted'), 10: beyond('refuted'), 20: 'holds', 50: 'holds', 100: 'holds' },
        'lstm-fb1': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: 'holds', 100: 'holds' },
        gru: { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: 'holds', 100: 'holds' },
      },
      adding: {
        'rnn-demo': { 10: beyond('refuted'), 20: beyond('refuted'), 50: mixed(3, 5) },
        'rnn-orthogonal': { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond(mixed(3, 5)) },
        residual: { 10: beyond('refuted'), 20: beyond('refuted'), 50: mixed(2, 3) },
        layernorm: { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
        'lstm-fb0': { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
        'lstm-fb1': { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
        gru: { 10: beyond('refuted'), 20: beyond('refuted'), 50: beyond('refuted') },
      },
    },
    evaluate: (plan) => (s) =>
      perRun(plan, s, (run) => run.collapseFinal <= COLLAPSED, {
        premise: suffers,
        capOnly: 'the hidden-state collapse is measured once, at the end of training',
      }),
  },
  SOURCE,
);

export const VG_DIAG_LONG_SEQUENCES: TrainingClaim = trainingClaim(
  {
    id: 'VG-DIAG-LONG-SEQUENCES',
    section: SECTION,
    kind: 'empirical',
    statement: 'A model with vanishing gradients does well on short sequences and fails on long ones.',
    predicate:
      `For one seed: the model learned the plan's shortest lag and did not learn its longest (${LEARNED}). ` +
      `Read with the model: the symptom is only diagnostic if models without the problem do not show it.`,
    keyNumber: { name: 'lossOverBaselineShort', unit: '' },
    premise: {
      text:
        `the model has vanishing gradients over the long lag: at the first update of its run at the plan's ` +
        `longest lag, ‖∂L/∂s‖ loses more than ${PROFILE_VANISHING_DECADES} decades across the lag (or underflows)`,
    },
    boundary: [
      'Holds for the layer-norm cell and the gated models on recall (they learn lag 5, not lag 100) and for ' +
        'the demo-initialised vanilla and the residual cells on the adding problem (lag 10, not 50).',
      'Refuted for orthogonal W_hh on recall (it learns lag 100) and for the LSTM with forget bias 1 and the GRU on the adding problem (they learn lag 50).',
      'Budget-limited where long lags are learned only after 4000 updates: the demo and residual cells on ' +
        'recall, the layer-norm cell and the LSTM with forget bias 0 on the adding problem.',
      'Orthogonal W_hh on the adding problem is beyond the premise: its gradient does not vanish across lag 50 at the first update.',
      'The symptom is not diagnostic of vanishing gradients alone: the gated models show it on recall, ' +
        'where their forget gates, not tanh saturation, limit memory.',
    ].join(' '),
    models: ALL_MODELS,
    scope: 'lags',
    plot: LAG_PLOT,
    expected: {
      recall: {
        'rnn-demo': { '5-100': 'budget-limited', '5-20': 'budget-limited' },
        'rnn-orthogonal': { '5-100': 'refuted', '5-20': beyond('refuted') },
        residual: { '5-100': 'budget-limited' },
        layernorm: { '5-100': 'holds' },
        'lstm-fb0': { '5-100': 'holds' },
        'lstm-fb1': { '5-100': 'holds', '5-20': beyond('refuted') },
        gru: { '5-100': 'holds', '5-20': 'refuted' },
      },
      adding: {
        'rnn-demo': { '10-50': 'holds' },
        'rnn-orthogonal': { '10-50': beyond('holds') },
        residual: { '10-50': 'holds' },
        layernorm: { '10-50': 'budget-limited' },
        'lstm-fb0': { '10-50': 'budget-limited' },
        'lstm-fb1': { '10-50': 'refuted' },
        gru: { '10-50': 'refuted' },
      },
    },
    evaluate: (plan) => (subjects) =>
      Promise.all(
        subjects.map(async (s) => {
          const cells = await runsOf(s, plan);
          const first = cells[0],
            last = cells[cells.length - 1];
          const symptom = (list: readonly GridCell[]): boolean => list[0].run.learned && !list[list.length - 1].run.learned;
          return {
            ...overLags(
              cells,
              symptom,
              judge(
                symptom(cells),
                {
                  seed: s.seed,
                  shortLag: first.lag,
                  learnedShort: first.run.learned,
                  longLag: last.lag,
                  learnedLong: last.run.learned,
                  lossOverBaselineShort: first.run.final.loss / first.run.task.baseline,
                  lossOverBaselineLong: last.run.final.loss / last.run.task.baseline,
                },
                [lossRatioByLag(cells, s.seed)],
              ),
            ),
            inPremise: last.detectors.profileInitial.vanishing,
          };
        }),
      ),
  },
  SOURCE,
);

export const VG_DIAG_HH_VS_IH: Claim<ModelDomain> = {
  id: 'VG-DIAG-HH-VS-IH',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: "A symptom of vanishing gradients is that the recurrent weights' gradient norm is orders of magnitude below the input weights'.",
  predicate: `‖∂L/∂W_hh‖ ≤ ${ORDERS_BELOW}·‖∂L/∂W_ih‖ (at least one order of magnitude; L = Σh_{T−1}, tfjs, at initialisation).`,
  keyNumber: { name: 'hhOverIh', unit: '' },
  premise: { text: VANISHING_PREMISE },
  boundary:
    'At initialisation, in runs whose gradient vanishes through time, ‖∂L/∂W_hh‖ / ‖∂L/∂W_ih‖ is ' +
    "{{vanishing-runs|hhOverIh}}: both sum every step's contribution, and the recent steps, which do not " +
    'vanish, dominate both. VG-DIAG-HH-VS-IH-TRAINED reads the same ratio at the end of training.',
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
  async evaluate(configs) {
    return (await detectorEvidence(configs)).map((e) => {
      const ratio = e.stats.weight_hh.norm / e.stats.weight_ih.norm;
      return {
        ...judge(ratio <= ORDERS_BELOW, {
          hhOverIh: ratio,
          decadesLost: Number.isFinite(e.lost) ? e.lost : 'underflow (beyond float32)',
          weightHhGradNorm: e.stats.weight_hh.norm,
          weightIhGradNorm: e.stats.weight_ih.norm,
        }),
        inPremise: e.lost >= VANISHING_DECADES,
      };
    });
  },
};

/** "Barely depends": the early input moves the final state by under a thousandth of the last input's effect, the project's rule for "negligible". */
const COLLAPSE_DECADES = NEGLIGIBLE_DECADES;

export const VG_DIAG_COLLAPSE: Claim<ModelDomain> = {
  id: 'VG-DIAG-COLLAPSE',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'When gradients vanish, the final hidden state barely depends on the early inputs.',
  predicate: `‖∂h_{T−1}/∂x_0‖_F is at least ${COLLAPSE_DECADES} decades below ‖∂h_{T−1}/∂x_{T−1}‖_F (tfjs, one batched pass).`,
  keyNumber: { name: 'decadesBelowLastInput', unit: 'decades' },
  premise: { text: VANISHING_PREMISE.replace('the temporal profile', 'the float64 temporal profile ‖∂L/∂h_t‖') },
  boundary:
    'Holds wherever the gradient vanishes: the early input moves the final state ' +
    '{{demo-scale|decadesBelowLastInput}} decades less than the last one. Beyond the premise, a linear ' +
    "cell with orthogonal W_hh, whose gradient does not vanish, keeps the early input's effect.",
  regions: [
    {
      id: 'demo-scale',
      description: 'vanilla tanh at the demo scale, U(±a) with a 0.05–0.1, H = D 32–100, T 50',
      domain: vanishingDomain(),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'orthogonal-linear',
      description: 'linear cell with orthogonal W_hh (no vanishing), H = D 16–64',
      domain: vanishingDomain({
        base: {
          ...DEMO_CONFIG,
          activation: 'linear',
          recurrentInit: { kind: 'orthogonal', gain: 1 },
          inputInit: { kind: 'glorotUniform' },
          biasInit: { kind: 'zeros' },
        },
        recurrentUniform: undefined,
        hiddenSize: [16, 64],
      }),
      role: 'boundary',
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: 'Sensitivity of the final state to each input', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂h_{T−1}/∂x_t‖_F' },
  async evaluate(configs, { cache }) {
    const sens = await forEachShape(configs, (model) => finalStateSensitivity(model));
    // The premise reads the float64 profile of the same configuration (the oracle never underflows).
    const chains = oracleEvidence(configs, { cache }).map((e) => e.chain[e.chain.length - 1] - e.chain[0]);
    return sens.map((s, i) => {
      const first = s.log10[0],
        last = s.log10[s.log10.length - 1];
      const gap = last === null ? -Infinity : first === null ? Infinity : last - first;
      return {
        ...judge(gap >= COLLAPSE_DECADES, { decadesBelowLastInput: first === null ? 'underflow' : gap, gradientDecadesLost: chains[i] }, [
          seriesByDistance('‖∂h_{T−1}/∂x_t‖ (tfjs)', s.log10),
        ]),
        inPremise: chains[i] >= VANISHING_DECADES,
      };
    });
  },
};
