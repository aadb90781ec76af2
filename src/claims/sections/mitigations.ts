import { DEMO_CONFIG, type ModelConfig, PYTORCH_GATED_DEFAULTS, TFJS_GATED_DEFAULTS } from '../../config/types.js';
import { matVec, norm2 } from '../../linalg/matrix.js';
import { singularValues } from '../../linalg/svd.js';
import { createParams } from '../../models/params.js';
import { forgetGateProbe } from '../../probes/lstm-forget.js';
import { preActivationsOf, saturationStats } from '../../probes/saturation.js';
import { recurrentMatrix } from '../../probes/spectra.js';
import { decadesPerStep, demoLog10, evidenceOfVariants, gradientEvidence, type GradientEvidence, profileLog10 } from '../evidence.js';
import { judge, seriesByDistance } from '../judge.js';
import { gaussianVector } from '../matrices.js';
import { forEachShape } from '../measure.js';
import type { Claim, ModelDomain } from '../types.js';
import { bandOf } from '../../engine/bands.js';

const SECTION = 'Mitigations' as const;

/** The document's own initialisation for gradient preservation: Glorot W_ih, orthogonal W_hh, zero biases. */
export const DOCUMENT_INIT: Partial<ModelConfig> = { recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } };
const orthoDomain = (extra: Partial<ModelDomain> = {}): ModelDomain => ({ kind: 'model', base: { ...DEMO_CONFIG, ...DOCUMENT_INIT, seqLength: 1 }, hiddenSize: [1, 128], inputSize: [1, 1], ...extra });

export const VG_INIT_ORTHO_SV1: Claim<ModelDomain> = {
  id: 'VG-INIT-ORTHO-SV1',
  section: SECTION,
  kind: 'theorem',
  statement: 'Orthogonal initialisation gives a recurrent matrix whose singular values are all 1.',
  predicate: 'Every singular value of W_hh (float32 weights, float64 one-sided Jacobi SVD) is within 1e-6 of 1.',
  regions: [{ id: 'orthogonal', description: 'orthogonal(gain 1), H 1–128', domain: orthoDomain(), expected: 'holds', runs: 30 }],
  async evaluate(configs) {
    return configs.map((c) => {
      const sv = singularValues(recurrentMatrix(createParams(c)));
      const worst = Math.max(...sv.map((s) => Math.abs(s - 1)));
      return judge(worst <= 1e-6, { maxDeviationFrom1: worst, largest: sv[0], smallest: sv[sv.length - 1] });
    });
  },
};

export const VG_INIT_ORTHO_ISOMETRY: Claim<ModelDomain> = {
  id: 'VG-INIT-ORTHO-ISOMETRY',
  section: SECTION,
  kind: 'theorem',
  statement: 'An orthogonal matrix preserves the length of every vector, and so preserves it under repeated multiplication.',
  predicate: '‖Wⁿx‖/‖x‖ is within 1e-4 of 1 for 3 random x and every n = 1..1000 (float32-rounded orthogonal W_hh, float64 products).',
  regions: [{ id: 'orthogonal', description: 'orthogonal(gain 1), H 1–128', domain: orthoDomain(), expected: 'holds', runs: 30 }],
  async evaluate(configs) {
    return configs.map((c) => {
      const w = recurrentMatrix(createParams(c));
      let worstOne = 0, worstAll = 0;
      for (let k = 0; k < 3; k++) {
        let x: Float64Array = gaussianVector(c.hiddenSize, c.seed, `x${k}`);
        const n0 = norm2(x);
        for (let n = 1; n <= 1000; n++) {
          x = matVec(w, x);
          const dev = Math.abs(norm2(x) / n0 - 1);
          if (n === 1) worstOne = Math.max(worstOne, dev);
          worstAll = Math.max(worstAll, dev);
        }
      }
      return judge(worstAll <= 1e-4, { maxDeviationOneStep: worstOne, maxDeviation1000Steps: worstAll });
    });
  },
};

const PRESERVED_DECADES = 1;

export const VG_INIT_ORTHO_GRADIENT: Claim<ModelDomain> = {
  id: 'VG-INIT-ORTHO-GRADIENT',
  section: SECTION,
  kind: 'recommendation',
  statement: "With the document's initialisation (orthogonal W_hh, Glorot W_ih, zero biases), gradient norms are preserved through time at initialisation.",
  predicate: `tfjs's ‖∂L/∂h_0‖ is within ${PRESERVED_DECADES} decade of ‖∂L/∂h_{T−1}‖ over T = 50 steps.`,
  boundary: "Orthogonality keeps ‖W_hh‖ = 1 but the tanh′ factor is still below 1 at every unit: with tanh the gradient still loses decades; only a linear cell keeps the norm.",
  regions: [
    { id: 'tanh', description: 'tanh cell, H = D 16–100, T 50', domain: { kind: 'model', base: { ...DEMO_CONFIG, ...DOCUMENT_INIT }, hiddenSize: [16, 100], inputSize: 'hidden' }, expected: 'refuted', runs: 25 },
    { id: 'linear', description: 'linear cell (no activation), H = D 16–100, T 50', domain: { kind: 'model', base: { ...DEMO_CONFIG, ...DOCUMENT_INIT, activation: 'linear' }, hiddenSize: [16, 100], inputSize: 'hidden' }, expected: 'holds', runs: 25 },
  ],
  plot: { title: 'Gradient through time at orthogonal initialisation', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs) {
    return (await gradientEvidence(configs)).map((e) => {
      const ys = profileLog10(e);
      const lost = ys[ys.length - 1] - ys[0];
      return judge(Math.abs(lost) <= PRESERVED_DECADES, { decadesLost: lost }, [seriesByDistance('‖∂L/∂h_t‖ (tfjs)', e.profile.log10)]);
    });
  },
};

const INITS: ReadonlyArray<readonly [string, Partial<ModelConfig>]> = [
  ['orthogonal', { recurrentInit: { kind: 'orthogonal', gain: 1 } }],
  ['demo U(±0.1)', { recurrentInit: { kind: 'uniform', low: -0.1, high: 0.1 } }],
  ['pytorchDefault', { recurrentInit: { kind: 'pytorchDefault' } }],
  ['glorotUniform', { recurrentInit: { kind: 'glorotUniform' } }],
  ['identity', { recurrentInit: { kind: 'identity', scale: 1 } }],
];

export const VG_INIT_ORTHO_BEST: Claim<ModelDomain> = {
  id: 'VG-INIT-ORTHO-BEST',
  section: SECTION,
  kind: 'recommendation',
  statement: 'Orthogonal initialisation is the best starting point for gradient flow.',
  predicate: 'At the same sizes, seed, Glorot W_ih and zero biases, the tanh RNN with orthogonal W_hh loses the fewest decades per step among orthogonal, U(±0.1), PyTorch default, Glorot uniform and identity W_hh (ties within 0.01 decades per step count for orthogonal).',
  boundary: "Split: orthogonal is best for most sizes and seeds, but Glorot's W_hh, whose norm is above 1 and offsets tanh′ < 1, sometimes loses fewer decades per step (at the price of γ > 1, see VG-GAMMA-COMMON).",
  regions: [{ id: 'tanh', description: 'tanh cell, H = D 16–100, T 50', domain: { kind: 'model', base: { ...DEMO_CONFIG, ...DOCUMENT_INIT }, hiddenSize: [16, 100], inputSize: 'hidden' }, expected: 'mixed', band: bandOf(17, 25), runs: 25 }],
  async evaluate(configs) {
    const ev = await evidenceOfVariants(configs, INITS.map(([, o]) => (c: ModelConfig) => ({ ...c, ...o })));
    return ev.map((list) => {
      const rates = list.map((e) => decadesPerStep(profileLog10(e)));
      const best = Math.min(...rates);
      const numbers: Record<string, number | string> = Object.fromEntries(INITS.map(([name], i) => [`decadesPerStep ${name}`, rates[i]]));
      numbers.best = INITS[rates.indexOf(best)][0];
      return judge(rates[0] <= best + 0.01, numbers);
    });
  },
};

const BYPASS_DECADES = 3;

export const VG_SKIP_BYPASS: Claim<ModelDomain> = {
  id: 'VG-SKIP-BYPASS',
  section: SECTION,
  kind: 'code',
  statement: "The ResidualRNNCell's skip path lets the gradient bypass the chain of W_hh products across time.",
  predicate: `With the same weights and inputs, the residual cell's demo gap (log10 ‖∂(Σh_0)/∂x_0‖ − log10 ‖∂(Σh_{T−1})/∂x_0‖, tfjs batched) is at least ${BYPASS_DECADES} decades smaller than the vanilla cell's.`,
  boundary: "The cell adds a projection of the current input x_t to the new state: h_t = tanh(…h_{t−1}…) + P·x_t. The path from h_{t−1} to h_t is still diag(tanh′)·W_hh, so nothing bypasses the recurrence across time; only the step-t input gets a direct path to h_t.",
  regions: [
    { id: 'demo-scale', description: 'the demo (U(±0.1), H = D 16–100, T 50)', domain: { kind: 'model', base: DEMO_CONFIG, hiddenSize: [16, 100], inputSize: 'hidden' }, expected: 'refuted', runs: 25 },
    { id: 'orthogonal', description: "the document's initialisation, H = D 16–100, T 50", domain: { kind: 'model', base: { ...DEMO_CONFIG, ...DOCUMENT_INIT }, hiddenSize: [16, 100], inputSize: 'hidden' }, expected: 'refuted', runs: 25 },
  ],
  plot: { title: 'Residual cell against vanilla, same weights', xTitle: 'distance t from x_0', yTitle: 'log10 ‖∂(Σh_t)/∂x_0‖' },
  async evaluate(configs) {
    const ev = await evidenceOfVariants(configs, [(c) => ({ ...c, architecture: 'rnn' }), (c) => ({ ...c, architecture: 'residual' })], { demo: true });
    return ev.map(([v, r]) => {
      const gap = (e: GradientEvidence): number => demoLog10(e)[0] - demoLog10(e)[demoLog10(e).length - 1];
      return judge(gap(r) <= gap(v) - BYPASS_DECADES, { residualGapDecades: gap(r), vanillaGapDecades: gap(v) }, [
        { name: 'residual (as written)', points: demoLog10(r).map((y, x) => ({ x, y })) },
        { name: 'vanilla', points: demoLog10(v).map((y, x) => ({ x, y })), dashed: true },
      ]);
    });
  },
};

const lnDomain = (base: Partial<ModelConfig>, extra: Partial<ModelDomain> = {}): ModelDomain => ({ kind: 'model', base: { ...DEMO_CONFIG, ...base }, hiddenSize: [16, 100], inputSize: 'hidden', ...extra });
const LN_REGIONS = {
  small: { id: 'demo-scale', description: 'weights U(±0.1) (the demo), H = D 16–100', domain: lnDomain({}) },
  large: { id: 'large-weights', description: 'W_hh ~ N(0, σ²) with σ 0.3–0.5, H = D 64–100 (σ√H ≥ 2.4: a saturating vanilla cell)', domain: lnDomain({}, { recurrentNormal: [0.3, 0.5], hiddenSize: [64, 100] }) },
};

export const VG_LN_SLOPE: Claim<ModelDomain> = {
  id: 'VG-LN-SLOPE',
  section: SECTION,
  kind: 'code',
  statement: "The LayerNormRNNCell keeps pre-activations where tanh′ is large, preventing saturation.",
  predicate: "With the same weights and inputs, the mean tanh′ of the pre-activations (tfjs forward pass) over all units and steps is at least as large in the LayerNormRNNCell as in the vanilla cell.",
  boundary: "Normalising fixes the pre-activations' spread at 1 (gain 1): that helps when the vanilla cell saturates (large weights) and hurts when its pre-activations are small (the demo's scale), where tanh′ was already near 1.",
  regions: [{ ...LN_REGIONS.small, expected: 'refuted', runs: 25 }, { ...LN_REGIONS.large, expected: 'holds', runs: 25 }],
  async evaluate(configs) {
    const pairs = configs.flatMap((c) => [{ ...c, architecture: 'rnn' as const }, { ...c, architecture: 'layernorm' as const }]);
    const slopes = (await forEachShape(pairs, (m) => preActivationsOf(m))).map((z) => saturationStats('tanh', z).meanSlope);
    return configs.map((_, i) => judge(slopes[2 * i + 1] >= slopes[2 * i], { layerNormMeanSlope: slopes[2 * i + 1], vanillaMeanSlope: slopes[2 * i] }));
  },
};

export const VG_LN_DECAY: Claim<ModelDomain> = {
  id: 'VG-LN-DECAY',
  section: SECTION,
  kind: 'recommendation',
  statement: 'Layer normalisation mitigates the decay of the gradient through time.',
  predicate: 'With the same weights and inputs, the LayerNormRNNCell loses fewer decades per step of ‖∂L/∂h_t‖ (tfjs) than the vanilla cell, and still loses some (it is not exploding).',
  boundary: 'At the demo scale the layer-norm cell decays more slowly than the vanilla one. With large weights the vanilla cell does not decay at all (its gradient grows), and the layer-norm cell keeps the gradient roughly flat: there is no decay left to mitigate, so the predicate fails there.',
  regions: [{ ...LN_REGIONS.small, expected: 'holds', runs: 25 }, { ...LN_REGIONS.large, expected: 'refuted', runs: 25 }],
  plot: { title: 'Layer-norm cell against vanilla, same weights', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs) {
    const ev = await evidenceOfVariants(configs, [(c) => ({ ...c, architecture: 'rnn' }), (c) => ({ ...c, architecture: 'layernorm' })]);
    return ev.map(([v, l]) => {
      const rv = decadesPerStep(profileLog10(v)), rl = decadesPerStep(profileLog10(l));
      return judge(rl < rv && rl > 0, { layerNormDecadesPerStep: rl, vanillaDecadesPerStep: rv }, [seriesByDistance('layer norm', profileLog10(l)), seriesByDistance('vanilla', profileLog10(v), true)]);
    });
  },
};

export const VG_LSTM_CELL_JACOBIAN: Claim<ModelDomain> = {
  id: 'VG-LSTM-CELL-JACOBIAN',
  section: SECTION,
  kind: 'theorem',
  statement: "In an LSTM, the direct derivative of the cell state with respect to the previous cell state is the diagonal matrix of forget-gate values.",
  predicate: "tfjs autodiff's ∂c_t/∂c_{t−1} (h_{t−1} held fixed) has diagonal f_t within 1e-6 and off-diagonal entries of at most 1e-7, at every step.",
  regions: [{ id: 'lstm', description: 'LSTM with PyTorch or tfjs defaults, any forget bias, H 1–16, T 2–12', domain: { kind: 'model', base: { ...DEMO_CONFIG, architecture: 'lstm', ...PYTORCH_GATED_DEFAULTS }, forgetBiases: ['init', 'zero', 'one', 'chrono'], recurrentActivations: ['sigmoid', 'hardSigmoid'], hiddenSize: [1, 16], inputSize: [1, 8], seqLength: [2, 12] }, expected: 'holds', runs: 30 }],
  async evaluate(configs) {
    return (await forEachShape(configs, (m) => forgetGateProbe(m))).map((p) => {
      let worst = 0;
      p.forgetGate.forEach((f, t) => f.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - p.cellJacobianDiagonal[t][i])))));
      return judge(worst <= 1e-6 && p.maxOffDiagonal <= 1e-7, { maxDiagonalMinusForgetGate: worst, maxOffDiagonal: p.maxOffDiagonal });
    });
  },
};

const lstmDomain = (base: Partial<ModelConfig>, extra: Partial<ModelDomain> = {}): ModelDomain => ({ kind: 'model', base: { ...DEMO_CONFIG, architecture: 'lstm', ...base }, hiddenSize: [16, 64], inputSize: 'hidden', ...extra });
const HIGHWAY_DECADES = 1;

export const VG_LSTM_HIGHWAY: Claim<ModelDomain> = {
  id: 'VG-LSTM-HIGHWAY',
  section: SECTION,
  kind: 'theorem',
  statement: 'When the forget gate is near 1, the gradient flows back through the LSTM cell state nearly unchanged.',
  predicate: `With forget gates opened by the chrono initialisation, ‖∂L/∂s_t‖ (h and c, tfjs) loses at most ${HIGHWAY_DECADES} decade over T = 50 steps; the mean forget gate is reported.`,
  boundary: 'Chrono initialisation opens the forget gates on average but not to within 1/T of 1 for every unit: over 50 steps the product of the gates costs close to a decade, a little more or a little less from seed to seed (a split region), so the gradient is carried far better than by a vanilla cell but not unchanged.',
  regions: [
    { id: 'chrono', description: 'LSTM, tfjs defaults with chrono forget bias and sigmoid gates, H = D 16–64, T 50', domain: lstmDomain({ ...TFJS_GATED_DEFAULTS, forgetBias: 'chrono', recurrentActivation: 'sigmoid' }), expected: 'mixed', band: bandOf(4, 25), runs: 25 },
  ],
  plot: { title: 'LSTM gradient through time', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂s_t‖' },
  async evaluate(configs) {
    return (await gradientEvidence(configs)).map((e) => {
      const ys = profileLog10(e);
      const lost = ys[ys.length - 1] - ys[0];
      const gates = e.run.steps.flatMap((s) => Array.from(s.forgetGate ?? []));
      return judge(lost <= HIGHWAY_DECADES, { decadesLost: lost, meanForgetGate: gates.reduce((a, b) => a + b, 0) / gates.length, minForgetGate: Math.min(...gates) }, [seriesByDistance('‖∂L/∂s_t‖ (tfjs)', e.profile.log10)]);
    });
  },
};

const STABLE_DECADES = 3;

export const VG_LSTM_DROPIN: Claim<ModelDomain> = {
  id: 'VG-LSTM-DROPIN',
  section: SECTION,
  kind: 'recommendation',
  statement: 'Swapping the vanilla RNN for an LSTM at its default settings gives stable gradient flow.',
  predicate: `At the framework's default initialisation, ‖∂L/∂s_t‖ (tfjs) loses at most ${STABLE_DECADES} decades over T = 50 steps.`,
  boundary: "Neither framework's defaults open the forget gate enough: PyTorch's (forget bias ~ U(±1/√H), f ≈ 0.5) and tfjs's (unit forget bias, hard-sigmoid gates) both lose many decades; a chrono forget bias keeps the gradient (VG-LSTM-HIGHWAY).",
  regions: [
    { id: 'pytorch-defaults', description: "nn.LSTM defaults, H = D 16–64, T 50", domain: lstmDomain(PYTORCH_GATED_DEFAULTS), expected: 'refuted', runs: 25 },
    { id: 'tfjs-defaults', description: 'tf.layers.lstm defaults (orthogonal, Glorot, unit forget bias, hard sigmoid), H = D 16–64, T 50', domain: lstmDomain(TFJS_GATED_DEFAULTS), expected: 'refuted', runs: 25 },
  ],
  plot: { title: 'LSTM at default initialisation', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂s_t‖' },
  async evaluate(configs) {
    return (await gradientEvidence(configs)).map((e) => {
      const ys = profileLog10(e);
      const lost = ys[ys.length - 1] - ys[0];
      return judge(lost <= STABLE_DECADES, { decadesLost: lost, decadesPerStep: decadesPerStep(ys) }, [seriesByDistance('LSTM', ys)]);
    });
  },
};

export const VG_GRU_SIMILAR: Claim<ModelDomain> = {
  id: 'VG-GRU-SIMILAR',
  section: SECTION,
  kind: 'recommendation',
  statement: "A GRU gives gradient benefits similar to an LSTM's.",
  predicate: 'At the same framework defaults, sizes and seed, the GRU loses at most 1.5 times the LSTM\'s decades per step (tfjs) and fewer than the vanilla tanh cell at PyTorch\'s default.',
  boundary: "At PyTorch's defaults the two gated cells decay alike; at tfjs's defaults the LSTM's unit forget bias has no GRU counterpart, and the GRU loses well over 1.5 times the LSTM's rate.",
  regions: [
    { id: 'pytorch-defaults', description: 'PyTorch defaults, H = D 16–64, T 50', domain: lstmDomain(PYTORCH_GATED_DEFAULTS), expected: 'holds', runs: 25 },
    { id: 'tfjs-defaults', description: "tfjs's default initialisers and hard-sigmoid gates (on the reset-after GRU cell, as PyTorch's), H = D 16–64, T 50", domain: lstmDomain(TFJS_GATED_DEFAULTS), expected: 'refuted', runs: 25 },
  ],
  async evaluate(configs) {
    const ev = await evidenceOfVariants(configs, [(c) => c, (c) => ({ ...c, architecture: 'gru' }), (c) => ({ ...c, architecture: 'rnn', activation: 'tanh', recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' }, biasInit: { kind: 'pytorchDefault' } })]);
    return ev.map(([l, g, v]) => {
      const [rl, rg, rv] = [l, g, v].map((e) => decadesPerStep(profileLog10(e)));
      return judge(rg <= 1.5 * rl && rg < rv, { gruDecadesPerStep: rg, lstmDecadesPerStep: rl, vanillaDecadesPerStep: rv });
    });
  },
};
