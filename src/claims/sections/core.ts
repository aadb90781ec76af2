import { DEMO_CONFIG } from '../../config/types.js';
import { gradientEvidence, profileOf } from '../evidence.js';
import { EXPONENTIAL_R2 } from '../measure.js';
import { judge, measuredByDistance } from '../judge.js';
import { expShrinkRuling } from '../profile-rules.js';
import { sourceOf } from '../source.js';
import { LOSS_PLOT, LEARNED, VANILLA, mixed, perRun, trainingClaim, type TrainingClaim } from '../training/claim.js';
import { type Claim, type ModelDomain, UNCONDITIONAL } from '../../engine/types.js';
import { MEMORY_RANGE, isDistantLag } from '../rules.js';

/** The Core Problem: the gradient shrinks exponentially with distance, so a vanilla RNN cannot learn long-range dependencies. */
const SECTION = 'The Core Problem' as const;
const SOURCE = sourceOf(import.meta.url);

const pytorchRnn: ModelDomain = {
  kind: 'model',
  base: { ...DEMO_CONFIG, recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' } },
  hiddenSize: [16, 100],
  inputSize: 'hidden',
  seqLength: [30, 100],
};

export const VG_CORE_EXP_SHRINK: Claim<ModelDomain> = {
  id: 'VG-CORE-EXP-SHRINK',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'In a vanilla RNN, backpropagation through time shrinks the gradient exponentially with the number of steps it crosses.',
  predicate:
    `A least-squares line through log10 ‖∂L/∂h_t‖ (float32 on the kernel engine; the float64 oracle where ` +
    `float32 underflows, its record names the source) against the distance from the end has R² ≥ ` +
    `${EXPONENTIAL_R2} (a straight line on a log scale: exponential; one threshold for every ` +
    `exponential-decay claim, see claims/measure.ts) and falls by more than a preserved gradient may over ` +
    `the T steps, −T·log10(1 − 1/T) decades (0.44 at T = 50; see mitigations/preserved.ts): a line that ` +
    `loses less than that does not shrink the gradient.`,
  keyNumber: { name: 'decadesPerStep', unit: 'decades' },
  boundary:
    "Holds for tanh cells at PyTorch's default initialisation ({{tanh-pytorch-default|decadesPerStep}} " +
    'decades per step). A ReLU cell with identity W_hh (IRNN) is refuted: only {{relu-identity|holds}} of ' +
    '{{relu-identity|cases}} cases shrink along a line; the others barely decay (a fitted loss of ' +
    '{{relu-identity|fittedDecadesLost}} decades over the span) or do not follow a line.',
  premise: { text: UNCONDITIONAL },
  reading:
    '"Shrinks exponentially" read as a straight line on a log scale (R² ≥ 0.9) that loses more than a ' +
    'preserved gradient may over the span, so a slope of a few thousandths of a decade per step does not count as shrinking.',
  regions: [
    {
      id: 'tanh-pytorch-default',
      description: "tanh at PyTorch's default, H = D 16–100, T 30–100",
      domain: pytorchRnn,
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'relu-identity',
      description: 'ReLU with identity W_hh and zero bias (IRNN), H = D 16–64, T 30–100',
      domain: {
        ...pytorchRnn,
        base: { ...pytorchRnn.base, activation: 'relu', recurrentInit: { kind: 'identity', scale: 1 }, biasInit: { kind: 'zeros' } },
        hiddenSize: [16, 64],
      },
      role: 'premise',
      expected: 'refuted',
      runs: 250,
    },
  ],
  plot: { title: 'Gradient against distance', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileOf(e);
      const { holds, numbers } = expShrinkRuling(m.values);
      return judge(holds, numbers, [measuredByDistance('‖∂L/∂h_t‖', m)], [m]);
    });
  },
};

/** The training side of the core problem: trained vanilla RNNs against the lag. */
export const VG_CORE_NO_LONG_LEARNING: TrainingClaim = trainingClaim(
  {
    id: 'VG-CORE-NO-LONG-LEARNING',
    section: SECTION,
    kind: 'empirical',
    statement: 'A vanilla RNN cannot learn a dependency between sequence elements that are far apart.',
    predicate: `The trained model has not learned the task: it fails "learned" (${LEARNED}).`,
    keyNumber: { name: 'solvedAt', unit: 'updates' },
    premise: {
      text:
        `the dependency is distant: a lag above ${MEMORY_RANGE[1]}, beyond the ` +
        `${MEMORY_RANGE[0]}–${MEMORY_RANGE[1]} steps the document itself says a vanilla RNN sees`,
      of: (s) => s.lags.every(isDistantLag),
    },
    reading: '"Cannot learn" read as: does not reach the learned criterion within the training budget (the budget ladder shows how the verdict moves with it).',
    role: ({ lags }) => (lags.every(isDistantLag) ? 'premise' : 'boundary'),
    boundary: [
      'Decided at the lags beyond the 10–20 steps the document grants (recall 50 and 100, adding 50; 5 ' +
        'seeds, trained to the criterion or 8000 updates); lags 5 to 20 are probes.',
      'Refuted on recall for orthogonal W_hh, which learns lags 50 and 100 in every seed (by update ' +
        '{{recall/rnn-orthogonal/lag-100|solvedAt|max}} at lag 100).',
      'Budget-limited for the demo initialisation on recall: it learns lag 50 in ' +
        '{{recall/rnn-demo/lag-50|fails}} and lag 100 in {{recall/rnn-demo/lag-100|fails}} of 5 seeds, none ' +
        'of them by 4000 updates, so the verdict turns with the budget.',
      'Holds on the adding problem at lag 50 for both initialisations.',
      'Beyond the premise both learn every recall lag up to 20 (the demo initialisation at lag 20 only ' +
        'after 4000 updates in some seeds) and the adding problem at lag 10; at adding lag 20 the demo ' +
        'initialisation learns in {{adding/rnn-demo/lag-20|fails}} and orthogonal W_hh in ' +
        '{{adding/rnn-orthogonal/lag-20|fails}} of 5 seeds.',
    ].join(' '),
    models: VANILLA,
    scope: 'lag',
    plot: LOSS_PLOT,
    expected: {
      recall: {
        'rnn-demo': { 5: 'refuted', 10: 'refuted', 20: 'budget-limited', 50: 'budget-limited', 100: 'budget-limited' },
        'rnn-orthogonal': { 5: 'refuted', 10: 'refuted', 20: 'refuted', 50: 'refuted', 100: 'refuted' },
      },
      adding: {
        'rnn-demo': { 10: 'refuted', 20: 'budget-limited', 50: 'holds' },
        'rnn-orthogonal': { 10: 'refuted', 20: mixed(1, 5), 50: 'holds' },
      },
    },
    evaluate: (plan) => (s) => perRun(plan, s, (run) => !run.learned),
  },
  SOURCE,
);
