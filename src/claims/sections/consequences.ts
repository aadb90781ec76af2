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
import { LAG_PLOT, LEARNED, LOSS_PLOT, VANILLA, lossRatioByLag, overLags, perRun, trainingClaim, type TrainingClaim } from '../training/claim.js';
import { runsOf } from '../training/evidence.js';
import type { Claim, ModelDomain } from '../../engine/types.js';

/** Consequences: long-range dependencies, near-zero updates for early steps, short effective memory. */
const SECTION = 'Consequences' as const;
const SOURCE = sourceOf(import.meta.url);
const NEGLIGIBLE = 6;

const at = (base: ModelDomain['base'], extra: Partial<ModelDomain> = {}): ModelDomain => ({ kind: 'model', base: { ...DEMO_CONFIG, ...base }, ...extra });

export const VG_CONSEQ_LONG_RANGE: Claim<ModelDomain> = {
  id: 'VG-CONSEQ-LONG-RANGE',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'When the input at position 5 decides the label at position 50, the gradient reaching position 5 is negligibly small.',
  predicate: `With the loss on h_50 (T = 51), the float32 ‖∂L/∂x_5‖ (kernel engine) is more than ${NEGLIGIBLE} decades (10^${NEGLIGIBLE}, beyond float32's relative resolution) below ‖∂L/∂x_50‖.`,
  boundary: 'Gradient side only (whether a trained model learns the dependency is the training experiments\' claim). Vanilla cells at the demo scale and at orthogonal init lose far more than 6 decades over 45 steps; an LSTM whose forget gate starts near 1 (chrono init) keeps the gradient within a few decades.',
  regions: [
    { id: 'demo-scale-rnn', description: 'vanilla tanh, U(−0.1, 0.1), H = D 32–100', domain: at({ seqLength: 51 }, { hiddenSize: [32, 100], inputSize: 'hidden' }), expected: 'holds', runs: 25 },
    { id: 'orthogonal-rnn', description: 'vanilla tanh, orthogonal W_hh, Glorot W_ih, zero bias, H = D 32–100', domain: at({ seqLength: 51, recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } }, { hiddenSize: [32, 100], inputSize: 'hidden' }), expected: 'holds', runs: 25 },
    { id: 'lstm-chrono', description: 'LSTM, tfjs defaults with chrono forget bias, H = D 32–100', domain: at({ seqLength: 51, architecture: 'lstm', ...TFJS_GATED_DEFAULTS, recurrentActivation: 'sigmoid', forgetBias: 'chrono' }, { hiddenSize: [32, 100], inputSize: 'hidden' }), expected: 'refuted', runs: 25 },
  ],
  plot: { title: 'Gradient reaching each input position', xTitle: 'distance from position 50', yTitle: 'log10 ‖∂L/∂x_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileInputSeries(e);
      const ys = m.values;
      const early = ys[5], late = ys[ys.length - 1];
      if (late === null) return judge(false, { late: 'underflow' }, undefined, [m]);
      const drop = early === null ? Infinity : late - early;
      return judge(drop > NEGLIGIBLE, { decadesBelowLast: early === null ? 'underflow (beyond float32)' : drop }, [measuredByDistance('‖∂L/∂x_t‖', m)], [m]);
    });
  },
};

const EARLY_SHARE = 1e-3;

export const VG_CONSEQ_EARLY_UPDATES: Claim<ModelDomain> = {
  id: 'VG-CONSEQ-EARLY-UPDATES',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'The first timesteps receive near-zero updates: their share of the recurrent weights\' gradient is negligible.',
  predicate: `Step t adds the outer product of h_{t−1} and ∂L/∂z_t = σ′(z_t)⊙∂L/∂h_t to ∂L/∂W_hh (vanilla cell, L = Σh_{T−1}, float64 with renormalisation); the first 20% of steps hold less than ${EARLY_SHARE} of the sum of these outer products' norms.`,
  regions: [
    { id: 'demo-config', description: 'the demo (H = D = 100, T = 50, U(−0.1, 0.1)), seeds vary', domain: at({}), expected: 'holds', runs: 25 },
    { id: 'pytorch-default', description: "vanilla tanh at PyTorch's default, H = D 16–100, T 50", domain: at({ recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' } }, { hiddenSize: [16, 100], inputSize: 'hidden' }), expected: 'holds', runs: 25 },
    { id: 'orthogonal-linear', description: 'linear cell, orthogonal W_hh (no saturation, norm-preserving)', domain: at({ activation: 'linear', recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } }, { hiddenSize: [16, 64], inputSize: 'hidden' }), expected: 'refuted', runs: 25 },
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
      return judge(early / total < EARLY_SHARE, { earlyShare: early / total, earlySteps: Math.ceil(0.2 * T) }, [seriesByDistance('log10 step contribution', contributions.map((c) => (Number.isFinite(c) ? c : null)))]);
    });
  },
};

const HORIZON_DECADES = 3;
/** Distances beyond the claim's upper edge (20) are not needed to decide it. */
const HORIZON_LIMIT = 20;

export const VG_CONSEQ_SHORT_MEMORY: Claim<ModelDomain> = {
  id: 'VG-CONSEQ-SHORT-MEMORY',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'A vanilla RNN in practice only sees the last 10 to 20 timesteps.',
  predicate: `Gradient horizon: the smallest distance d at which the demo quantity ‖∂(Σh_d)/∂x_0‖ (float64 product of the cell's Jacobians, checked against tfjs in the engine tests) has fallen ${HORIZON_DECADES} decades (a factor 1000) below its value at d = 0; the claim holds when 10 ≤ d ≤ 20.`,
  boundary: 'The horizon is about 3 decades divided by the per-step decay rate, so it is set by the weight scale and the cell: the demo sits on the lower edge of the range (a split between 9 and 10 steps from seed to seed). The training experiments measure memory by learning; this is the gradient-side figure.',
  regions: [
    { id: 'demo-config', description: 'the demo (H = D = 100, T = 50, U(−0.1, 0.1))', domain: at({}), expected: 'mixed', band: bandOf(6, 25), runs: 25 },
    { id: 'orthogonal', description: 'tanh, orthogonal W_hh, Glorot W_ih, zero bias, H = D 32–100', domain: at({ recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } }, { hiddenSize: [32, 100], inputSize: 'hidden' }), expected: 'holds', runs: 25 },
    { id: 'lstm-pytorch-default', description: "LSTM at PyTorch's defaults, H = D 32–64", domain: at({ architecture: 'lstm', ...PYTORCH_GATED_DEFAULTS }, { hiddenSize: [32, 64], inputSize: 'hidden' }), expected: 'holds', runs: 25 },
  ],
  plot: { title: 'Gradient horizon', xTitle: 'distance d from x_0', yTitle: 'log10 ‖∂(Σh_d)/∂x_0‖' },
  async evaluate(configs, { cache }) {
    return oracleEvidence(configs, { cache }).map((e) => {
      const ys = chainDemo(e.run, HORIZON_LIMIT + 5);
      const d = ys.findIndex((y) => y <= ys[0] - HORIZON_DECADES);
      const horizon = d < 0 ? ys.length : d;
      return judge(horizon >= 10 && horizon <= HORIZON_LIMIT, { horizonSteps: d < 0 ? `more than ${ys.length - 1}` : horizon, decadesPerStep: (ys[0] - ys[ys.length - 1]) / (ys.length - 1) }, [
        { name: 'demo quantity', points: ys.map((y, x) => ({ x, y })) },
        { name: `−${HORIZON_DECADES} decades`, points: ys.map((_, x) => ({ x, y: ys[0] - HORIZON_DECADES })), dashed: true },
      ]);
    });
  },
};

/** The document's "the most recent 10–20 timesteps". */
const MEMORY_RANGE: readonly [number, number] = [10, 20];

export const VG_CONSEQ_MEMORY_TRAINED: TrainingClaim = trainingClaim({
  id: 'VG-CONSEQ-MEMORY-TRAINED', section: SECTION, kind: 'empirical',
  statement: 'A trained vanilla RNN behaves as if it only sees the last 10 to 20 timesteps.',
  predicate: `For one seed, the effective memory is the largest lag L of the plan such that the model learned every planned lag ≤ L (${LEARNED}); the claim holds for that seed when ${MEMORY_RANGE[0]} ≤ L ≤ ${MEMORY_RANGE[1]} (the document's range). (Across seeds, a lag counts as learned for a model when ${SEED_QUORUM} of 3 seeds learned it; that quorum is used in the overview only.)`,
  boundary: 'Resolution is the plan\'s lag grid (an effective memory of 20 means lag 20 was learned and lag 50 was not). On recall the demo initialisation\'s memory is 10 to 20 steps in every seed at budgets from 1000 to 4000 updates, and 50 to 100 in 4 of 5 seeds by 8000 (budget-limited); orthogonal W_hh reaches 100 in every seed (refuted). On the adding problem both initialisations learn lag 10 and not lag 50 in every seed (holds at this resolution).',
  models: VANILLA, scope: 'lags', plot: LAG_PLOT,
  expected: {
    recall: {
      'rnn-demo':       { '5-100': 'budget-limited', '5-20': 'holds' },
      'rnn-orthogonal': { '5-100': 'refuted', '5-20': 'holds' },
    },
    adding: {
      'rnn-demo':       { '10-50': 'holds' },
      'rnn-orthogonal': { '10-50': 'holds' },
    },
  },
  evaluate: (plan) => (subjects) => Promise.all(subjects.map(async (s) => {
    const cells = await runsOf(s, plan);
    const memoryOf = (list: readonly GridCell[]): number => effectiveMemory(list.map((c) => ({ lag: c.lag, learned: c.run.learned })), 1).effectiveLag;
    const inRange = (list: readonly GridCell[]): boolean => { const m = memoryOf(list); return m >= MEMORY_RANGE[0] && m <= MEMORY_RANGE[1]; };
    const memory = memoryOf(cells);
    return overLags(cells, inRange, judge(inRange(cells), {
      seed: s.seed, effectiveMemory: memory, lags: s.lags.join(' '), learnedAt: cells.filter((c) => c.run.learned).map((c) => c.lag).join(' ') || 'none',
    }, [lossRatioByLag(cells, s.seed), { name: 'learned threshold', points: [{ x: s.lags[0], y: Math.log10(LEARNED_MARGIN) }, { x: s.lags[s.lags.length - 1], y: Math.log10(LEARNED_MARGIN) }], dashed: true }]));
  })),
}, SOURCE);

/**
 * "Near-zero" share of ∂L/∂W_hh: one part in a thousand, the same rule for "negligible" as the
 * profile detector's 3 decades (experiments/detector.ts).
 */
const NEAR_ZERO_SHARE = 1e-3;

export const VG_CONSEQ_EARLY_SHARE: TrainingClaim = trainingClaim({
  id: 'VG-CONSEQ-EARLY-SHARE', section: SECTION, kind: 'empirical',
  statement: 'While a vanilla RNN trains, the early timesteps contribute almost nothing to the recurrent weights\' update.',
  predicate: `At the first update, the timesteps at distance ≥ lag/2 from the readout contribute less than ${NEAR_ZERO_SHARE} of Σ_t ‖G_t‖_F, where G_t = h_{t−1}ᵀ·∂L/∂u_t is step t's term of ∂L/∂W_hh. "Early" is the half of the lag farthest from the readout; "near zero" is one part in a thousand, the same rule as the profile detector's 3 decades.`,
  boundary: 'Holds where the lag is long for the initialisation: the demo initialisation at recall lags 20 to 100 and adding lag 50, orthogonal W_hh at recall lag 100. Refuted at shorter lags (recall 5 to 50 for orthogonal W_hh, 5 and 10 for the demo initialisation; adding lag 10, and lag 50 for orthogonal W_hh), where the early steps still carry at least 10⁻³ of ∂L/∂W_hh at the first update.',
  models: VANILLA, scope: 'lag', plot: LOSS_PLOT,
  expected: {
    recall: {
      'rnn-demo':       { 5: 'refuted', 10: 'refuted', 20: 'holds', 50: 'holds', 100: 'holds' },
      'rnn-orthogonal': { 5: 'refuted', 10: 'refuted', 20: 'refuted', 50: 'refuted', 100: 'holds' },
    },
    adding: {
      'rnn-demo':       { 10: 'refuted', 50: 'holds' },
      'rnn-orthogonal': { 10: 'refuted', 50: 'refuted' },
    },
  },
  evaluate: (plan) => (s) => perRun(plan, s, (run) => run.farShareWhh < NEAR_ZERO_SHARE),
}, SOURCE);
