import { SATURATED_ABS } from '../../experiments/activations.js';
import type { GridCell } from '../../experiments/grid.js';
import type { ActivationStats } from '../../experiments/records.js';
import type { EvidenceSeries, Evaluation } from '../../engine/types.js';
import { sourceOf } from '../source.js';
import { mixed, perRunOf, trainingClaim, type TrainingClaim } from '../training/claim.js';

/**
 * "Why γ < 1 Is the Common Case", activation saturation: hidden activations leave the region near
 * zero as a network trains, so the diag(σ′) factor of every step's Jacobian gets smaller. Decided
 * on the training plan's tanh cells from the activation statistics each run records at its
 * held-out evaluations (experiments/activations.ts).
 */
const SECTION = 'Why γ < 1 Is the Common Case' as const;
const SOURCE = sourceOf(import.meta.url);

/** The training plan's cells whose hidden activation is a tanh of their own (experiments/activations.ts, tanhOutputOf). */
const TANH_MODELS: readonly string[] = ['rnn-demo', 'rnn-orthogonal', 'residual', 'layernorm'];

/**
 * How far mean tanh′ must fall for "saturates more": a twentieth of tanh′'s range [0, 1], fixed
 * before any run was read. Mean tanh′ is at most 1, so this fall is at least 5% of its value
 * before training; as a factor on every step's Jacobian, a 5% smaller slope compounds to
 * 0.95¹⁰ ≈ 0.6 over ten steps, the document's short memory: a change in the gradient a reader
 * would call saturation, not noise. (The statistic is a mean over 512 sequences × T steps × 32
 * units; the two engines agree on it within 10⁻⁴, specs/experiments/activations.test.ts, so
 * float32 rounding cannot decide a change of 0.05.)
 */
export const SLOPE_DROP = 0.05;

/** The evidence plot: the judged statistic at every evaluation, one line per seed. */
export const SATURATION_PLOT = { title: 'Saturation during training', xTitle: 'Adam update', yTitle: 'mean tanh′ = mean (1 − a²) over the held-out set' };

/** What the claim reads of a run: its activations before training and at its last evaluation. */
export interface Drift {
  readonly seed: number;
  readonly initial: ActivationStats;
  readonly last: ActivationStats;
  /** The update of the last evaluation: the cap, or where the run stopped solved (or the budget it was cut at). */
  readonly lastUpdate: number;
  readonly solvedAt: number | null;
}

/** The run's first and last activation statistics; a RangeError for a run that recorded none (not a tanh cell). */
export function driftOf(cell: GridCell): Drift {
  const curve = cell.run.curve;
  const [first, last] = [curve[0], curve[curve.length - 1]];
  if (first.step !== 0 || first.activations === null || last.activations === null) {
    throw new RangeError(
      `VG-TANH-DRIFT: the ${cell.model} run (${cell.run.task.kind} lag ${cell.lag}, seed ${cell.seed}) has ` +
        `no activation statistics before training and at its last evaluation; only the tanh cells ` +
        `${TANH_MODELS.join(', ')} record them`,
    );
  }
  return { seed: cell.seed, initial: first.activations, last: last.activations, lastUpdate: last.step, solvedAt: cell.run.solvedAt };
}

/** The predicate: activations moved away from zero, and the mean slope fell by SLOPE_DROP or more. */
export const drifted = (d: Drift): boolean => d.last.meanAbs > d.initial.meanAbs && d.initial.meanSlope - d.last.meanSlope >= SLOPE_DROP;

/** The record's numbers, the change in mean tanh′ first (the key number). */
function driftNumbers(d: Drift): Evaluation['numbers'] {
  return {
    slopeChange: d.last.meanSlope - d.initial.meanSlope,
    meanAbsChange: d.last.meanAbs - d.initial.meanAbs,
    saturatedShareChange: d.last.saturatedShare - d.initial.saturatedShare,
    slopeInitial: d.initial.meanSlope,
    slopeFinal: d.last.meanSlope,
    meanAbsInitial: d.initial.meanAbs,
    meanAbsFinal: d.last.meanAbs,
    saturatedShareInitial: d.initial.saturatedShare,
    saturatedShareFinal: d.last.saturatedShare,
    lastEvaluation: d.lastUpdate,
    solvedAt: d.solvedAt,
    seed: d.seed,
  };
}

/** Mean tanh′ at every held-out evaluation of the run. */
function slopeCurve(cell: GridCell): EvidenceSeries[] {
  const r = cell.run;
  return [
    {
      name: `seed ${cell.seed}${r.solvedAt !== null ? ` (solved at ${r.solvedAt})` : ''}`,
      points: r.curve.map((p) => ({ x: p.step, y: p.activations?.meanSlope ?? null })),
    },
  ];
}

export const VG_TANH_DRIFT: TrainingClaim = trainingClaim(
  {
    id: 'VG-TANH-DRIFT',
    section: SECTION,
    kind: 'empirical',
    statement:
      'As a tanh RNN trains, its hidden activations move away from zero into the flat parts of tanh, so the ' +
      'slopes tanh′ that scale the backward signal get smaller.',
    predicate: [
      `a is the cell's tanh output at every unit and step of the 512 held-out sequences (h_t for the ` +
        `vanilla and layer-norm cells; tanh(z_t) before the input projection is added for the residual cell).`,
      `Between the evaluation before the first update and the run's last evaluation (at the cap, or where ` +
        `it stopped solved), mean |a| rose and mean tanh′ = mean (1 − a²) fell by at least ${SLOPE_DROP}, a ` +
        `twentieth of tanh′'s maximum of 1.`,
      `The share of |a| > ${SATURATED_ABS} is reported, not judged.`,
    ].join(' '),
    keyNumber: { name: 'slopeChange', unit: '' },
    boundary: [
      'Each run is compared with itself after all the training it received: a run that solves stops there, ' +
        'one that does not runs to the cap, and the verdict read at every budget of the ladder shows whether ' +
        'that decides the outcome.',
      'Holds for the vanilla cell at both initialisations in {{*/rnn-*/lag-*|holds}} of its ' +
        '{{*/rnn-*/lag-*|cases}} runs: mean tanh′ changes by {{*/rnn-*/lag-*|slopeChange}} and the share of ' +
        '|a| > 0.9 goes from at most {{*/rnn-*/lag-*|saturatedShareInitial|max}} to ' +
        '{{*/rnn-*/lag-*|saturatedShareFinal}}.',
      'The exceptions split three regions (the demo initialisation on recall at lags 50 and 100 and on ' +
        'adding at lag 10, one run each), and the demo initialisation on adding at lag 50 is budget-limited: ' +
        'runs still saturating after 4000 updates decide it.',
      'Beyond the premise the residual cell drifts too ({{*/residual/lag-*|holds}} of ' +
        '{{*/residual/lag-*|cases}} runs; budget-limited on recall at lags 20 to 100), and the layer-norm ' +
        "cell, the document's remedy for saturation, does not in any region: normalising the pre-activation " +
        'puts mean tanh′ at {{*/layernorm/lag-*|slopeInitial}} before any training (E[1 − tanh²(Z)] ≈ 0.61 ' +
        'for Z ~ N(0, 1)), and training moves it by {{*/layernorm/lag-*|slopeChange}}.',
    ].join(' '),
    premise: {
      text: "a vanilla tanh RNN, the cell the section speaks of (the residual and layer-norm cells, the document's mitigations, are probed beyond it)",
      of: (s) => s.model.startsWith('rnn-'),
    },
    role: ({ model }) => (model.startsWith('rnn-') ? 'premise' : 'boundary'),
    models: TANH_MODELS,
    scope: 'lag',
    plot: SATURATION_PLOT,
    expected: {
      recall: {
        'rnn-demo': { 5: 'holds', 10: 'holds', 20: 'holds', 50: mixed(4, 5), 100: mixed(4, 5) },
        'rnn-orthogonal': { 5: 'holds', 10: 'holds', 20: 'holds', 50: 'holds', 100: 'holds' },
        residual: { 5: 'holds', 10: 'holds', 20: 'budget-limited', 50: 'budget-limited', 100: 'budget-limited' },
        layernorm: { 5: 'refuted', 10: 'refuted', 20: 'refuted', 50: 'refuted', 100: 'refuted' },
      },
      adding: {
        'rnn-demo': { 10: mixed(4, 5), 20: 'holds', 50: 'budget-limited' },
        'rnn-orthogonal': { 10: 'holds', 20: 'holds', 50: 'holds' },
        residual: { 10: 'holds', 20: 'holds', 50: 'holds' },
        layernorm: { 10: 'refuted', 20: 'refuted', 50: 'refuted' },
      },
    },
    evaluate: (plan) => (s) => perRunOf(plan, s, { read: driftOf, decide: drifted, numbers: driftNumbers, series: slopeCurve }),
  },
  SOURCE,
);
