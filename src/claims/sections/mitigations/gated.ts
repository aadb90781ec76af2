import { DEMO_CONFIG, type ModelConfig, PYTORCH_GATED_DEFAULTS, TFJS_GATED_DEFAULTS, makeConfig } from '../../../config/types.js';
import { bandOf } from '../../../engine/bands.js';
import { forgetGateProbe } from '../../../probes/lstm-forget.js';
import { decadesPerStep, evidenceOfVariants, gradientEvidence, profileOf } from '../../evidence.js';
import { judge, measuredByDistance } from '../../judge.js';
import { forEachShape } from '../../measure.js';
import { sourceOf } from '../../source.js';
import { GATED, LOSS_PLOT, LEARNED, perRun, trainingClaim, type TrainingClaim } from '../../training/claim.js';
import type { Claim, ModelDomain } from '../../../engine/types.js';
import { preservedDecades } from './preserved.js';

/** Mitigations, "Gated Architectures (The Fundamental Solution)": the LSTM's cell-state highway, nn.LSTM and nn.GRU as drop-in replacements. */
const SECTION = 'Mitigations' as const;
const SOURCE = sourceOf(import.meta.url);

export const VG_LSTM_CELL_JACOBIAN: Claim<ModelDomain> = {
  id: 'VG-LSTM-CELL-JACOBIAN',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: "In an LSTM, the direct derivative of the cell state with respect to the previous cell state is the diagonal matrix of forget-gate values.",
  predicate: "tfjs autodiff's ∂c_t/∂c_{t−1} (h_{t−1} held fixed) has diagonal f_t within 1e-6 (16 float32 spacings below 1, room for autodiff's rounding) and off-diagonal entries of at most 1e-7 (about one float32 spacing at 1; they are zero in exact arithmetic), at every step.",
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
/** The span the highway is measured over: the demo's T = 50 steps. */
const HIGHWAY_T = DEMO_CONFIG.seqLength;
/** "Flow unchanged" over the span: what gates within 1/T of 1 (the document's f_t ≈ 1) would lose (preserved.ts). */
const HIGHWAY_DECADES = preservedDecades(HIGHWAY_T);

export const VG_LSTM_HIGHWAY: Claim<ModelDomain> = {
  id: 'VG-LSTM-HIGHWAY',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'When the forget gate is near 1, the gradient flows back through the LSTM cell state nearly unchanged.',
  predicate: `With forget gates opened by the chrono initialisation, ‖∂L/∂s_t‖ (h and c; float32 on the kernel engine, the float64 oracle where float32 underflows) loses at most ${HIGHWAY_DECADES.toFixed(2)} decades over T = ${HIGHWAY_T} steps: what gates within 1/T of 1 (the document's "f_t ≈ 1" over the span) would cost, since they keep at least (1 − 1/T)^T ≈ 1/e of the gradient. The mean and smallest forget gate and the share of gates within 1/T of 1 are reported.`,
  boundary: 'Chrono initialisation (b_f = log U(1, T−1)) spreads the units\' forgetting times 1/(1 − f) from 2 to T steps, so the gates are open on average (mean 0.89 to 0.94) but only 13 to 25% of them are within 1/T of 1: over 50 steps the gradient loses 0.95 to 1.17 decades in every case, more than the 0.44 decades the document\'s premise allows. It is carried far better than by a vanilla cell (compare VG-CONSEQ-LONG-RANGE), but not unchanged. The region tests chrono against the premise; no initialisation of this project opens every gate to within 1/T of 1, so the premise itself is not sampled.',
  regions: [
    { id: 'chrono', description: `LSTM, tfjs defaults with chrono forget bias and sigmoid gates, H = D 16–64, T ${HIGHWAY_T}`, domain: lstmDomain({ ...TFJS_GATED_DEFAULTS, forgetBias: 'chrono', recurrentActivation: 'sigmoid' }), expected: 'refuted', runs: 25 },
  ],
  plot: { title: 'LSTM gradient through time', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂s_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileOf(e);
      const lost = m.values[m.values.length - 1] - m.values[0];
      const gates = e.run.steps.flatMap((s) => Array.from(s.forgetGate ?? []));
      const T = e.config.seqLength;
      return judge(lost <= HIGHWAY_DECADES, {
        decadesLost: lost, meanForgetGate: gates.reduce((a, b) => a + b, 0) / gates.length, minForgetGate: Math.min(...gates),
        shareOfGatesWithin1OverT: gates.filter((f) => 1 - f <= 1 / T).length / gates.length,
      }, [measuredByDistance('‖∂L/∂s_t‖', m)], [m]);
    });
  },
};

/** "Stable": the earliest step keeps at least a thousandth of the last step's gradient, the project's one rule for "negligible" (as the training claims' 10⁻³). */
const STABLE_DECADES = 3;

export const VG_LSTM_DROPIN: Claim<ModelDomain> = {
  id: 'VG-LSTM-DROPIN',
  section: SECTION,
  source: SOURCE,
  kind: 'recommendation',
  statement: 'Swapping the vanilla RNN for an LSTM at its default settings gives stable gradient flow.',
  predicate: `At the framework's default initialisation, ‖∂L/∂s_t‖ (float32 on the kernel engine; the float64 oracle where float32 underflows, its record names the source) loses at most ${STABLE_DECADES} decades over T = 50 steps.`,
  boundary: "Neither framework's defaults open the forget gate enough: PyTorch's (forget bias ~ U(±1/√H), f ≈ 0.5) and tfjs's (unit forget bias, hard-sigmoid gates) both lose many decades; a chrono forget bias carries it much further, though not unchanged (VG-LSTM-HIGHWAY).",
  regions: [
    { id: 'pytorch-defaults', description: "nn.LSTM defaults, H = D 16–64, T 50", domain: lstmDomain(PYTORCH_GATED_DEFAULTS), expected: 'refuted', runs: 25 },
    { id: 'tfjs-defaults', description: 'tf.layers.lstm defaults (orthogonal, Glorot, unit forget bias, hard sigmoid), H = D 16–64, T 50', domain: lstmDomain(TFJS_GATED_DEFAULTS), expected: 'refuted', runs: 25 },
  ],
  plot: { title: 'LSTM at default initialisation', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂s_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileOf(e);
      const lost = m.values[m.values.length - 1] - m.values[0];
      return judge(lost <= STABLE_DECADES, { decadesLost: lost, decadesPerStep: decadesPerStep(m.values) }, [measuredByDistance('LSTM', m)], [m]);
    });
  },
};

/** VG-GRU-SIMILAR/pytorch-defaults in the run that recorded its band: holding cases, cases (see engine/bands.ts). */
const GRU_PYTORCH_RECORDED: readonly [number, number] = [100, 101];

export const VG_GRU_SIMILAR: Claim<ModelDomain> = {
  id: 'VG-GRU-SIMILAR',
  section: SECTION,
  source: SOURCE,
  kind: 'recommendation',
  statement: "A GRU gives gradient benefits similar to an LSTM's.",
  predicate: 'At the same framework defaults, sizes and seed, the GRU loses at most 1.5 times the LSTM\'s decades per step (float32 on the kernel engine, the float64 oracle where float32 underflows; "similar" read as within a factor 1.5, a stated tolerance the document does not give) and fewer than the vanilla tanh cell at PyTorch\'s default (it does give a benefit).',
  boundary: "At PyTorch's defaults the two gated cells decay alike, rarely the GRU decays faster than the vanilla cell (H = 17, seed 6: 0.224 against 0.213 decades per step); at tfjs's defaults the LSTM's unit forget bias has no GRU counterpart, and the GRU loses well over 1.5 times the LSTM's rate.",
  regions: [
    {
      id: 'pytorch-defaults', description: 'PyTorch defaults, H = D 16–64, T 50', domain: lstmDomain(PYTORCH_GATED_DEFAULTS),
      // A counterexample seed 3's sample found (the GRU loses 0.224 decades per step, the vanilla cell 0.213): checked in every run,
      // so every seed's verdict accounts for it; 2400 seeded cases on other seeds found no other.
      examples: [makeConfig({ ...DEMO_CONFIG, ...PYTORCH_GATED_DEFAULTS, architecture: 'lstm', hiddenSize: 17, inputSize: 17, seed: 6 })],
      expected: 'mixed', band: bandOf(...GRU_PYTORCH_RECORDED), runs: 25,
    },
    { id: 'tfjs-defaults', description: "tfjs's default initialisers and hard-sigmoid gates (on the reset-after GRU cell, as PyTorch's), H = D 16–64, T 50", domain: lstmDomain(TFJS_GATED_DEFAULTS), expected: 'refuted', runs: 25 },
  ],
  async evaluate(configs, { cache }) {
    const ev = await evidenceOfVariants(configs, [(c) => c, (c) => ({ ...c, architecture: 'gru' }), (c) => ({ ...c, architecture: 'rnn', activation: 'tanh', recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' }, biasInit: { kind: 'pytorchDefault' } })], { cache });
    return ev.map(([l, g, v]) => {
      const profiles = [l, g, v].map(profileOf);
      const [rl, rg, rv] = profiles.map((m) => decadesPerStep(m.values));
      return judge(rg <= 1.5 * rl && rg < rv, { gruDecadesPerStep: rg, lstmDecadesPerStep: rl, vanillaDecadesPerStep: rv }, undefined, profiles);
    });
  },
};

/** "Distant" for the gated-learning claim: beyond the 10–20 steps the document gives a vanilla RNN (Consequences). */
const LONG_LAG = 20;

export const VG_GATED_LEARNS: TrainingClaim = trainingClaim({
  id: 'VG-GATED-LEARNS', section: SECTION, kind: 'empirical',
  statement: 'LSTM and GRU learn the long-range dependencies that a vanilla RNN fails to learn.',
  predicate: `At lags ≥ ${LONG_LAG} (beyond the 10–20 steps the document gives a vanilla RNN), the trained gated model has learned the task (${LEARNED}).`,
  boundary: 'Holds for the LSTM with forget bias 1 and the GRU on recall at lag 20 (median 300 and 900 updates) and on the adding problem at lag 50 (median 3000 and 800); the LSTM with forget bias 0 learns the adding problem at lag 50 too, but 2 of 5 seeds need more than 4000 updates (budget-limited), and fails recall at lag 20. Refuted for every gated model on recall at lags 50 and 100 within 8000 updates, where the orthogonal vanilla RNN learns lag 100 in every seed. This is not the literature\'s failure to reproduce: on the adding problem both LSTMs learn lag 50 within 1900 to 4100 updates, as Hochreiter & Schmidhuber (1997) and Le et al. (2015) report. Recall here is pure memorisation of one symbol among distractors of the same size, a copy-like task on which orthogonal and unitary RNNs are known to beat LSTMs (Arjovsky et al. 2016; Henaff et al. 2016); and at PyTorch\'s initialisation the forget gate starts near σ(b_f) = 0.5 (bias 0) or 0.73 (bias 1), so the cell keeps that fraction per step until training raises it. The chrono initialisation of Tallec & Ollivier (2018) removes that: the same LSTM with b_f = log U(1, T−1) learns recall at lag 50 (scripts/gated-check.ts).',
  models: GATED, scope: 'lag', lagFilter: (l) => l >= LONG_LAG, plot: LOSS_PLOT,
  expected: {
    recall: {
      'lstm-fb0': { 20: 'refuted', 50: 'refuted', 100: 'refuted' },
      'lstm-fb1': { 20: 'holds', 50: 'refuted', 100: 'refuted' },
      'gru':      { 20: 'holds', 50: 'refuted', 100: 'refuted' },
    },
    adding: {
      'lstm-fb0': { 50: 'budget-limited' },
      'lstm-fb1': { 50: 'holds' },
      'gru':      { 50: 'holds' },
    },
  },
  evaluate: (plan) => (s) => perRun(plan, s, (run) => run.learned),
}, SOURCE);
