import { DEMO_CONFIG, PYTORCH_GATED_DEFAULTS, TFJS_GATED_DEFAULTS } from '../../config/types.js';
import { bandOf } from '../../engine/bands.js';
import { SEED_QUORUM, effectiveMemory } from '../../experiments/effective-memory.js';
import type { GridCell } from '../../experiments/grid.js';
import { LEARNED_MARGIN } from '../../experiments/tasks.js';
import { norm2, vecMat } from '../../linalg/matrix.js';
import { chainDemo } from '../../numerics/jacobian-chain.js';
import { gradientEvidence, oracleEvidence, profileInputSeries } from '../evidence.js';
import { judge, measuredByDistance, seriesByDistance } from '../judge.js';
import { sourceOf } from '../source.js';
import {
  LAG_PLOT,
  LEARNED,
  LOSS_PLOT,
  VANILLA,
  beyond,
  lossRatioByLag,
  mixed,
  overLags,
  perRun,
  trainingClaim,
  type TrainingClaim,
} from '../training/claim.js';
import { runsOf } from '../training/evidence.js';
import type { Claim, ModelDomain } from '../../engine/types.js';
import type { ModelConfig } from '../../config/types.js';
import { FLOAT32_NEGLIGIBLE_DECADES, MEMORY_RANGE, NEGLIGIBLE_DECADES } from '../rules.js';

/** Consequences: long-range dependencies, near-zero updates for early steps, short effective memory. */
const SECTION = 'Consequences' as const;
const SOURCE = sourceOf(import.meta.url);
const NEGLIGIBLE = FLOAT32_NEGLIGIBLE_DECADES;
/** The section speaks of the vanilla RNN (the Core Problem's "primary limitation of vanilla RNNs"). */
const VANILLA_PREMISE = {
  text: 'a vanilla RNN: the section states the consequences of the vanishing gradient problem of vanilla RNNs',
  of: (c: ModelConfig): boolean => c.architecture === 'rnn',
};

const at = (base: ModelDomain['base'], extra: Partial<ModelDomain> = {}): ModelDomain => ({ kind: 'model', base: { ...DEMO_CONFIG, ...base }, ...extra });

export const VG_CONSEQ_LONG_RANGE: Claim<ModelDomain> = {
  id: 'VG-CONSEQ-LONG-RANGE',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'When the input at position 5 decides the label at position 50, the gradient reaching position 5 is negligibly small.',
  predicate:
    `With the loss on h_50 (T = 51), the float32 ‖∂L/∂x_5‖ (kernel engine) is more than ${NEGLIGIBLE} ` +
    `decades (10^${NEGLIGIBLE}, beyond float32's relative resolution) below ‖∂L/∂x_50‖.`,
  keyNumber: { name: 'decadesBelowLast', unit: 'decades' },
  boundary:
    "Gradient side only (whether a trained model learns the dependency is the training experiments' " +
    'claim). Vanilla cells at the demo scale and at orthogonal init lose ' +
    '{{demo-scale-rnn|decadesBelowLast}} and {{orthogonal-rnn|decadesBelowLast}} decades over 45 steps. ' +
    'Beyond the premise, an LSTM whose forget gate starts near 1 (chrono init) keeps the gradient within ' +
    '{{lstm-chrono|decadesBelowLast}} decades.',
  premise: VANILLA_PREMISE,
  regions: [
    {
      id: 'demo-scale-rnn',
      description: 'vanilla tanh, U(−0.1, 0.1), H = D 32–100',
      domain: at({ seqLength: 51 }, { hiddenSize: [32, 100], inputSize: 'hidden' }),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'orthogonal-rnn',
      description: 'vanilla tanh, orthogonal W_hh, Glorot W_ih, zero bias, H = D 32–100',
      domain: at(
        { seqLength: 51, recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } },
        { hiddenSize: [32, 100], inputSize: 'hidden' },
      ),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'lstm-chrono',
      description: 'LSTM, tfjs defaults with chrono forget bias, H = D 32–100 (not a vanilla RNN)',
      domain: at(
        { seqLength: 51, architecture: 'lstm', ...TFJS_GATED_DEFAULTS, recurrentActivation: 'sigmoid', forgetBias: 'chrono' },
        { hiddenSize: [32, 100], inputSize: 'hidden' },
      ),
      role: 'boundary',
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: 'Gradient reaching each input position', xTitle: 'distance from position 50', yTitle: 'log10 ‖∂L/∂x_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileInputSeries(e);
      const ys = m.values;
      const early = ys[5],
        late = ys[ys.length - 1];
      if (late === null) return judge(false, { late: 'underflow' }, undefined, [m]);
      const drop = early === null ? Infinity : late - early;
      return judge(drop > NEGLIGIBLE, { decadesBelowLast: early === null ? 'underflow (beyond float32)' : drop }, [measuredByDistance('‖∂L/∂x_t‖', m)], [m]);
    });
  },
};

/** A negligible share of the update: one part in a thousand, the project's "negligible" (NEGLIGIBLE_DECADES). */
const EARLY_SHARE = 10 ** -NEGLIGIBLE_DECADES;

export const VG_CONSEQ_EARLY_UPDATES: Claim<ModelDomain> = {
  id: 'VG-CONSEQ-EARLY-UPDATES',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: "The first timesteps receive near-zero updates: their share of the recurrent weights' gradient is negligible.",
  predicate:
    `Step t adds the outer product of h_{t−1} and ∂L/∂z_t = σ′(z_t)⊙∂L/∂h_t to ∂L/∂W_hh (vanilla cell, L ` +
    `= Σh_{T−1}, float64 with renormalisation); the first 20% of steps hold less than ${EARLY_SHARE} of ` +
    `the sum of these outer products' norms.`,
  keyNumber: { name: 'earlyShare', unit: '' },
  reading:
    '"Weights responsible for processing early parts of the sequence are effectively frozen" does not ' +
    "apply as written to an RNN, whose weights are shared by every step. Read as: the early steps' terms " +
    "make up a negligible share of the recurrent weights' gradient, so the update carries almost nothing from them.",
  premise: {
    text:
      `the gradient vanishes over the sequence: the float64 ‖∂L/∂h_t‖ loses at least ${NEGLIGIBLE_DECADES} ` +
      `decades (a thousandth, claims/rules.ts) from the last step to the first`,
  },
  regions: [
    {
      id: 'demo-config',
      description: 'the demo (H = D = 100, T = 50, U(−0.1, 0.1)), seeds vary',
      domain: at({}),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'pytorch-default',
      description: "vanilla tanh at PyTorch's default, H = D 16–100, T 50",
      domain: at({ recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' } }, { hiddenSize: [16, 100], inputSize: 'hidden' }),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'orthogonal-linear',
      description: 'linear cell, orthogonal W_hh (no saturation, norm-preserving: the gradient does not vanish)',
      domain: at(
        { activation: 'linear', recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } },
        { hiddenSize: [16, 64], inputSize: 'hidden' },
      ),
      role: 'boundary',
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: "Each step's share of ∂L/∂W_hh", xTitle: 'distance from the last step', yTitle: 'log10 ‖h_{t−1}‖·‖∂L/∂z_t‖' },
  async evaluate(configs, { cache }) {
    return oracleEvidence(configs, { cache }).map((e) => {
      const T = e.config.seqLength;
      const H = e.config.hiddenSize;
      // Backward in float64 with renormalisation: v ∝ ∂L/∂h_t, δ_t = σ′(z_t) ⊙ ∂L/∂h_t.
      const contributions = new Array<number>(T).fill(-Infinity);
      let v: Float64Array = new Float64Array(H).fill(1);
      let scale = 0;
      for (let t = T - 1; t >= 0; t--) {
        const slope = e.run.steps[t].activationSlope;
        const delta = norm2(v.map((g, i) => g * slope[i]));
        const prev = t === 0 ? 0 : norm2(e.run.states[t - 1].subarray(0, H));
        contributions[t] = prev === 0 || delta === 0 ? -Infinity : Math.log10(prev) + Math.log10(delta) + scale;
        if (t === 0) break;
        v = vecMat(v, e.run.jacobianState[t]);
        const n = norm2(v);
        if (n === 0) break;
        v = v.map((g) => g / n);
        scale += Math.log10(n);
      }
      const max = Math.max(...contributions);
      const weights = contributions.map((c) => (Number.isFinite(c) ? 10 ** (c - max) : 0));
      const total = weights.reduce((a, b) => a + b, 0);
      const early = weights.slice(0, Math.ceil(0.2 * T)).reduce((a, b) => a + b, 0);
      const lost = e.chain[T - 1] - e.chain[0];
      return {
        ...judge(early / total < EARLY_SHARE, { earlyShare: early / total, earlySteps: Math.ceil(0.2 * T), decadesLostOverRun: lost }, [
          seriesByDistance(
            'log10 step contribution',
            contributions.map((c) => (Number.isFinite(c) ? c : null)),
          ),
        ]),
        inPremise: lost >= NEGLIGIBLE_DECADES,
      };
    });
  },
};

const HORIZON_DECADES = NEGLIGIBLE_DECADES;
/** Distances beyond the claim's upper edge (20) are not needed to decide it; the horizon at 6 decades, reported beside it, may reach further. */
const HORIZON_LIMIT = MEMORY_RANGE[1];
/** The horizon the same quantity gives at the project's other reading of "negligible" (6 decades), reported to show how the verdict depends on the threshold. */
const REPORT_LIMIT = 60;

export const VG_CONSEQ_SHORT_MEMORY: Claim<ModelDomain> = {
  id: 'VG-CONSEQ-SHORT-MEMORY',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'A vanilla RNN in practice only sees the last 10 to 20 timesteps.',
  predicate:
    `Gradient horizon: the smallest distance d at which the demo quantity ‖∂(Σh_d)/∂x_0‖ (float64 product ` +
    `of the cell's Jacobians, checked against tfjs in the engine tests) has fallen ${HORIZON_DECADES} ` +
    `decades (a factor 1000) below its value at d = 0; the claim holds when ${MEMORY_RANGE[0]} ≤ d ≤ ${MEMORY_RANGE[1]}.`,
  keyNumber: { name: 'horizonSteps', unit: 'steps', claimed: MEMORY_RANGE },
  boundary:
    'The horizon is the threshold divided by the per-step decay rate, so it is set by the weight scale, ' +
    'the cell and the threshold: at 3 decades the demo sits on the lower edge of the range ' +
    '({{demo-config|horizonSteps}} steps from seed to seed); its horizon at 6 decades (horizonSteps6) is ' +
    '{{demo-config|horizonSteps6}} steps, inside the range. Orthogonal W_hh gives ' +
    '{{orthogonal|horizonSteps}} steps at 3 decades. The training experiments measure memory by learning; ' +
    "this is the gradient-side figure. Beyond the premise, an LSTM at PyTorch's defaults is probed as well.",
  reading:
    `"Sees only the most recent 10–20 timesteps" read on the gradient: the distance at which an input's ` +
    `effect on the state falls below the project's "negligible" (${NEGLIGIBLE_DECADES} decades). The ` +
    `verdict depends on that threshold, so the horizon at ${FLOAT32_NEGLIGIBLE_DECADES} decades is reported beside it.`,
  premise: VANILLA_PREMISE,
  regions: [
    {
      id: 'demo-config',
      description: 'the demo (H = D = 100, T = 50, U(−0.1, 0.1))',
      domain: at({}),
      role: 'premise',
      expected: 'mixed',
      band: bandOf(11, 42),
      runs: 25,
    },
    {
      id: 'orthogonal',
      description: 'tanh, orthogonal W_hh, Glorot W_ih, zero bias, H = D 32–100',
      domain: at(
        { recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } },
        { hiddenSize: [32, 100], inputSize: 'hidden' },
      ),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'lstm-pytorch-default',
      description: "LSTM at PyTorch's defaults, H = D 32–64 (not a vanilla RNN)",
      domain: at({ architecture: 'lstm', ...PYTORCH_GATED_DEFAULTS }, { hiddenSize: [32, 64], inputSize: 'hidden' }),
      role: 'boundary',
      expected: 'holds',
      runs: 25,
    },
  ],
  plot: { title: 'Gradient horizon', xTitle: 'distance d from x_0', yTitle: 'log10 ‖∂(Σh_d)/∂x_0‖' },
  async evaluate(configs, { cache }) {
    return oracleEvidence(configs, { cache }).map((e) => {
      const all = chainDemo(e.run, REPORT_LIMIT);
      const ys = all.slice(0, HORIZON_LIMIT + 5);
      const at = (decades: number, list: readonly number[]): number => list.findIndex((y) => y <= list[0] - decades);
      const d = at(HORIZON_DECADES, ys),
        d6 = at(FLOAT32_NEGLIGIBLE_DECADES, all);
      const horizon = d < 0 ? ys.length : d;
      return judge(
        horizon >= MEMORY_RANGE[0] && horizon <= HORIZON_LIMIT,
        {
          horizonSteps: d < 0 ? `more than ${ys.length - 1}` : horizon,
          horizonSteps6: d6 < 0 ? `more than ${all.length - 1}` : d6,
          decadesPerStep: (ys[0] - ys[ys.length - 1]) / (ys.length - 1),
        },
        [
          { name: 'demo quantity', points: ys.map((y, x) => ({ x, y })) },
          { name: `−${HORIZON_DECADES} decades`, points: ys.map((_, x) => ({ x, y: ys[0] - HORIZON_DECADES })), dashed: true },
        ],
      );
    });
  },
};

/**
 * Where the plan's lag grid places a seed's memory: the largest lag L it learned (with every
 * shorter one) and the next lag of the grid, so the memory lies in [L, next). The claim is
 * decided when that bracket lies inside the document's 10–20 steps or outside them; a bracket
 * that straddles an edge ([20, 50): "20 or 49?") leaves the seed outside the premise.
 */
function memoryBracket(lags: readonly number[], memory: number): { readonly lo: number; readonly hi: number } {
  const next = lags.find((l) => l > memory);
  return { lo: memory, hi: next === undefined ? Infinity : next };
}
/** A bracket [lo, hi) inside [10, 20] (integers: hi ≤ 21) or disjoint from it. */
const bracketInside = (b: { lo: number; hi: number }): boolean => b.lo >= MEMORY_RANGE[0] && b.hi <= MEMORY_RANGE[1] + 1;
const bracketOutside = (b: { lo: number; hi: number }): boolean => b.hi <= MEMORY_RANGE[0] || b.lo > MEMORY_RANGE[1];

export const VG_CONSEQ_MEMORY_TRAINED: TrainingClaim = trainingClaim(
  {
    id: 'VG-CONSEQ-MEMORY-TRAINED',
    section: SECTION,
    kind: 'empirical',
    statement: 'A trained vanilla RNN behaves as if it only sees the last 10 to 20 timesteps.',
    predicate:
      `For one seed, the effective memory is the largest lag L of the plan such that the model learned ` +
      `every planned lag ≤ L (${LEARNED}); it lies in [L, the next planned lag). The claim holds for that ` +
      `seed when that bracket lies within ${MEMORY_RANGE[0]}–${MEMORY_RANGE[1]} (the document's range). ` +
      `(Across seeds, a lag counts as learned for a model when ${SEED_QUORUM} of 3 seeds learned it; that ` +
      `quorum is used in the overview only.)`,
    keyNumber: { name: 'effectiveMemory', unit: 'steps of lag', claimed: MEMORY_RANGE },
    premise: {
      text:
        `the plan's lag grid decides it: the seed's memory bracket [L, next lag) lies inside ` +
        `${MEMORY_RANGE[0]}–${MEMORY_RANGE[1]} or outside it (a bracket such as [20, 50) cannot tell 20 from 49)`,
    },
    boundary: [
      "Resolution is the plan's lag grid (recall 5, 10, 20, 50, 100; adding 10, 20, 50): a memory of 20 " +
        "means lag 20 was learned and 50 was not, a bracket [20, 50) that straddles the document's range and " +
        'leaves the seed outside the premise.',
      'On recall, orthogonal W_hh learns every lag up to 100 in every seed (refuted); the demo ' +
        "initialisation's memory is {{recall/rnn-demo/lags-5-100|effectiveMemory}} steps, beyond the range in " +
        '{{recall/rnn-demo/lags-5-100|fails}} seeds, each learning lag 50 only after 4000 updates (budget-limited).',
      'On the adding problem the grid cannot decide: the memory is ' +
        '{{adding/rnn-demo/lags-10-50|effectiveMemory}} steps for the demo initialisation and ' +
        '{{adding/rnn-orthogonal/lags-10-50|effectiveMemory}} for orthogonal W_hh, brackets that straddle the ' +
        'range in all but one seed, so both regions are probes.',
    ].join(' '),
    models: VANILLA,
    scope: 'lags',
    plot: LAG_PLOT,
    expected: {
      recall: {
        'rnn-demo': { '5-100': 'budget-limited', '5-20': beyond('budget-limited') },
        'rnn-orthogonal': { '5-100': 'refuted', '5-20': beyond('refuted') },
      },
      adding: {
        'rnn-demo': { '10-50': beyond('budget-limited') },
        'rnn-orthogonal': { '10-50': beyond(mixed(1, 5)) },
      },
    },
    evaluate: (plan) => (subjects) =>
      Promise.all(
        subjects.map(async (s) => {
          const cells = await runsOf(s, plan);
          const memoryOf = (list: readonly GridCell[]): number =>
            effectiveMemory(
              list.map((c) => ({ lag: c.lag, learned: c.run.learned })),
              1,
            ).effectiveLag;
          const memory = memoryOf(cells);
          const bracket = memoryBracket(s.lags, memory);
          const evaluation = overLags(
            cells,
            (list) => bracketInside(memoryBracket(s.lags, memoryOf(list))),
            judge(
              bracketInside(bracket),
              {
                seed: s.seed,
                effectiveMemory: memory,
                memoryBelow: Number.isFinite(bracket.hi) ? bracket.hi : 'beyond the longest lag',
                lags: s.lags.join(' '),
                learnedAt:
                  cells
                    .filter((c) => c.run.learned)
                    .map((c) => c.lag)
                    .join(' ') || 'none',
              },
              [
                lossRatioByLag(cells, s.seed),
                {
                  name: 'learned threshold',
                  points: [
                    { x: s.lags[0], y: Math.log10(LEARNED_MARGIN) },
                    { x: s.lags[s.lags.length - 1], y: Math.log10(LEARNED_MARGIN) },
                  ],
                  dashed: true,
                },
              ],
            ),
          );
          return { ...evaluation, inPremise: bracketInside(bracket) || bracketOutside(bracket) };
        }),
      ),
  },
  SOURCE,
);

/**
 * "Near-zero" share of ∂L/∂W_hh: one part in a thousand, the same rule for "negligible" as the
 * profile detector's (NEGLIGIBLE_DECADES, numerics/negligible.ts).
 */
const NEAR_ZERO_SHARE = 10 ** -NEGLIGIBLE_DECADES;

export const VG_CONSEQ_EARLY_SHARE: TrainingClaim = trainingClaim(
  {
    id: 'VG-CONSEQ-EARLY-SHARE',
    section: SECTION,
    kind: 'empirical',
    statement: "While a vanilla RNN trains, the early timesteps contribute almost nothing to the recurrent weights' update.",
    predicate:
      `At every probe taken while the model trains at which its gradient vanishes across the lag, the ` +
      `timesteps at distance ≥ lag/2 from the readout contribute less than ${NEAR_ZERO_SHARE} of Σ_t ` +
      `‖G_t‖_F, where G_t = h_{t−1}ᵀ·∂L/∂u_t is step t's term of ∂L/∂W_hh. "Early" is the half of the lag ` +
      `farthest from the readout; "near zero" is one part in a thousand (claims/rules.ts). The share at the ` +
      `first update and the largest over every probe are reported.`,
    keyNumber: { name: 'solvedAt', unit: 'updates' },
    reading:
      '"While it trains" read over the probes the training loop takes (the first update, then every tenth ' +
      "of the budget), at the probes where the consequence's cause is present: the gradient across the lag has vanished.",
    premise: {
      text:
        `the gradient vanishes across the lag at some probe of the run (the profile loses more than ` +
        `${NEGLIGIBLE_DECADES} decades between the readout and the lag, or underflows)`,
    },
    boundary: [
      'Decided in the runs whose gradient vanished across the lag at some probe.',
      'Split where the lag is long for the initialisation: the early half of the lag carries less than 10⁻³ ' +
        'of ∂L/∂W_hh at every such probe in {{recall/rnn-demo/lag-20|holds}}, ' +
        '{{recall/rnn-demo/lag-50|holds}} and {{recall/rnn-demo/lag-100|holds}} of the 5 demo-initialised ' +
        'runs at recall lags 20, 50 and 100, and in {{recall/rnn-orthogonal/lag-100|holds}} of 5 orthogonal ' +
        'runs at lag 100; budget-limited for the demo initialisation on adding at lag 50.',
      'Refuted at shorter lags (recall 10 for the demo initialisation, 50 for orthogonal W_hh) and on the ' +
        'adding problem at lags 10 and 20 (demo) and 50 (orthogonal), where the early steps still carry at ' +
        'least 10⁻³ at some vanishing probe.',
      'Runs whose gradient never vanished across the lag (the demo initialisation at recall lag 5, ' +
        'orthogonal W_hh at recall lags 5 to 20 and on adding at lags 10 and 20) are beyond the premise.',
    ].join(' '),
    models: VANILLA,
    scope: 'lag',
    plot: LOSS_PLOT,
    expected: {
      recall: {
        'rnn-demo': { 5: beyond('refuted'), 10: 'refuted', 20: mixed(4, 5), 50: mixed(3, 5), 100: mixed(4, 5) },
        'rnn-orthogonal': { 5: beyond('refuted'), 10: beyond('refuted'), 20: beyond('refuted'), 50: 'refuted', 100: mixed(3, 5) },
      },
      adding: {
        'rnn-demo': { 10: 'refuted', 20: 'refuted', 50: 'budget-limited' },
        'rnn-orthogonal': { 10: beyond('refuted'), 20: beyond('refuted'), 50: 'refuted' },
      },
    },
    evaluate: (plan) => (s) =>
      perRun(plan, s, (run) => run.farShareWhhMaxWhileVanishing !== null && run.farShareWhhMaxWhileVanishing < NEAR_ZERO_SHARE, {
        premise: (run) => run.farShareWhhMaxWhileVanishing !== null,
      }),
  },
  SOURCE,
);
