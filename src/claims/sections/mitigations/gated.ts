import { DEMO_CONFIG, type ModelConfig, PYTORCH_GATED_DEFAULTS, TFJS_GATED_DEFAULTS, makeConfig } from '../../../config/types.js';
import { forgetGateProbe } from '../../../probes/lstm-forget.js';
import { kernelLstmPaths } from '../../../probes/gradient-profile-kernel.js';
import { decadesPerStep, evidenceOfVariants, float32Series, gradientEvidence, oracleOf, profileOf } from '../../evidence.js';
import { judge, measuredByDistance } from '../../judge.js';
import { STABLE_DECADES as DROP_IN_STABLE_DECADES, dropInRuling } from '../../profile-rules.js';
import { forEachShape, forEachShapeParams } from '../../measure.js';
import { sourceOf } from '../../source.js';
import { GATED, LOSS_PLOT, LEARNED, VANILLA, beyond, perRun, trainingClaim, type TrainingClaim } from '../../training/claim.js';
import { trainingRun } from '../../training/evidence.js';
import { type Claim, type ModelDomain, UNCONDITIONAL } from '../../../engine/types.js';

/** Mitigations, "Gated Architectures (The Fundamental Solution)": the LSTM's cell-state highway, nn.LSTM and nn.GRU as drop-in replacements. */
const SECTION = 'Mitigations' as const;
const SOURCE = sourceOf(import.meta.url);

export const VG_LSTM_CELL_JACOBIAN: Claim<ModelDomain> = {
  id: 'VG-LSTM-CELL-JACOBIAN',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'In an LSTM, the direct derivative of the cell state with respect to the previous cell state is the diagonal matrix of forget-gate values.',
  predicate:
    "tfjs autodiff's ∂c_t/∂c_{t−1} (h_{t−1} held fixed) has diagonal f_t within 1e-6 (16 float32 spacings " +
    "below 1, room for autodiff's rounding) and off-diagonal entries of at most 1e-7 (about one float32 " +
    'spacing at 1; they are zero in exact arithmetic), at every step.',
  keyNumber: { name: 'maxDiagonalMinusForgetGate', unit: '' },
  premise: { text: UNCONDITIONAL },
  regions: [
    {
      id: 'lstm',
      description: 'LSTM with PyTorch or tfjs defaults, any forget bias, H 1–16, T 2–12',
      domain: {
        kind: 'model',
        base: { ...DEMO_CONFIG, architecture: 'lstm', ...PYTORCH_GATED_DEFAULTS },
        forgetBiases: ['init', 'zero', 'one', 'chrono'],
        recurrentActivations: ['sigmoid', 'hardSigmoid'],
        hiddenSize: [1, 16],
        inputSize: [1, 8],
        seqLength: [2, 12],
      },
      role: 'premise',
      expected: 'holds',
      runs: 30,
    },
  ],
  async evaluate(configs) {
    return (await forEachShape(configs, (m) => forgetGateProbe(m))).map((p) => {
      let worst = 0;
      p.forgetGate.forEach((f, t) => f.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - p.cellJacobianDiagonal[t][i])))));
      return judge(worst <= 1e-6 && p.maxOffDiagonal <= 1e-7, { maxDiagonalMinusForgetGate: worst, maxOffDiagonal: p.maxOffDiagonal });
    });
  },
};

const lstmDomain = (base: Partial<ModelConfig>, extra: Partial<ModelDomain> = {}): ModelDomain => ({
  kind: 'model',
  base: { ...DEMO_CONFIG, architecture: 'lstm', ...base },
  hiddenSize: [16, 64],
  inputSize: 'hidden',
  ...extra,
});
/**
 * What the cell path may lose over the span where every gate is within 1/T of 1: from c_{T−2}
 * (where the loss's gradient enters the cell path) back to c_0 it is multiplied by T − 2 gates,
 * each at least 1 − 1/T. Derived from the premise (preserved.ts's principle), never from a measurement.
 */
const highwayDecades = (T: number): number => -(T - 2) * Math.log10(1 - 1 / T);
/** Every forget gate of the run within 1/T of 1 (float64 gates of the oracle's forward pass). */
const gatesOpen = (gates: readonly number[], T: number): boolean => gates.every((f) => 1 - f <= 1 / T);

export const VG_LSTM_HIGHWAY: Claim<ModelDomain> = {
  id: 'VG-LSTM-HIGHWAY',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'When the forget gate is near 1, the gradient flows back through the LSTM cell state nearly unchanged.',
  predicate:
    `Along the cell path, ‖∂L/∂c_t‖ (float32 on the kernel engine; the state [h; c] with h_t held apart, ` +
    `L = Σh_{T−1}) loses at most −(T−2)·log10(1 − 1/T) decades ` +
    `(${highwayDecades(DEMO_CONFIG.seqLength).toFixed(2)} at T = ${DEMO_CONFIG.seqLength}) from c_{T−2}, ` +
    `where the loss's gradient enters the cell path, to any earlier step: what T − 2 gates each within ` +
    `1/T of 1 can take away. ‖∂L/∂h_t‖ and ‖∂L/∂x_t‖ are reported beside it.`,
  keyNumber: { name: 'cellDecadesLost', unit: 'decades' },
  reading:
    '"f_t ≈ 1" read as "each gate within 1/T of 1 over a span of T steps" (its timescale 1/(1 − f) is at ' +
    'least the span; see mitigations/preserved.ts). "Flows unchanged" read as "is not diminished": the ' +
    'cell path multiplies by f_t ≤ 1 and cannot grow the gradient, but ‖∂L/∂c_t‖ does grow toward early ' +
    'steps because the h path adds to the cell at every step; that gain is reported (decadesGained), not judged.',
  premise: { text: 'every forget gate of the run is within 1/T of 1 (measured on the float64 forward pass)' },
  boundary:
    'With every gate within 1/T of 1 (the smallest {{open-gates|minForgetGate}}) the cell path loses at ' +
    'most {{open-gates|cellDecadesLost|max}} decades, and ‖∂L/∂c_t‖ even grows toward early steps, by ' +
    '{{open-gates|cellDecadesGained}} decades (the h path feeds the cell), while ‖∂L/∂h_t‖ loses ' +
    '{{open-gates|hiddenDecadesLost}}. Beyond the premise, chrono initialisation (b_f = log U(1, T−1)) ' +
    'opens the gates on average but leaves only {{chrono|shareOfGatesWithin1OverT}} of them within 1/T of ' +
    '1: the cell path then loses {{chrono|cellDecadesLost}} decades, more than the premise allows, and ' +
    'the h path {{chrono|hiddenDecadesLost}}.',
  regions: [
    {
      id: 'open-gates',
      description: 'LSTM, tfjs defaults with forget bias 8 (every gate within 1/T of 1 by construction) and sigmoid gates, H = D 16–64, T 20–100',
      domain: lstmDomain({ ...TFJS_GATED_DEFAULTS, forgetBias: 'large', recurrentActivation: 'sigmoid' }, { seqLength: [20, 100] }),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'chrono',
      description:
        `LSTM, tfjs defaults with chrono forget bias and sigmoid gates, H = D 16–64, T ` +
        `${DEMO_CONFIG.seqLength} (gates open on average, most not within 1/T of 1)`,
      domain: lstmDomain({ ...TFJS_GATED_DEFAULTS, forgetBias: 'chrono', recurrentActivation: 'sigmoid' }),
      role: 'boundary',
      examples: [
        makeConfig({
          ...DEMO_CONFIG,
          ...TFJS_GATED_DEFAULTS,
          architecture: 'lstm',
          forgetBias: 'chrono',
          recurrentActivation: 'sigmoid',
          hiddenSize: 16,
          inputSize: 16,
          seed: 1,
        }),
      ],
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: 'LSTM gradient by path', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂c_t‖, ‖∂L/∂h_t‖' },
  async evaluate(configs, { cache }) {
    const paths = await forEachShapeParams(configs, async (params) => kernelLstmPaths(params));
    return configs.map((config, i) => {
      const T = config.seqLength;
      const [cell, hidden, input] = [paths[i].cell, paths[i].hidden, paths[i].input].map((s) => float32Series(s, 'kernel-f32'));
      // c_{T−1} has no gradient of its own (the loss reads h_{T−1}): the cell path starts at c_{T−2}.
      const along = cell.values.slice(0, T - 1);
      const entry = along[T - 2];
      const lost = entry === null ? NaN : Math.max(...along.map((v) => (v === null ? Infinity : entry - v)));
      const gained = entry === null ? NaN : Math.max(...along.map((v) => (v === null ? -Infinity : v - entry)));
      const gates = oracleOf(config, cache).run.steps.flatMap((s) => Array.from(s.forgetGate ?? []));
      const hLost = (hidden.values[T - 1] ?? NaN) - (hidden.values[0] ?? NaN);
      return {
        ...judge(
          lost <= highwayDecades(T),
          {
            cellDecadesLost: lost,
            allowedDecades: highwayDecades(T),
            cellDecadesGained: gained,
            hiddenDecadesLost: hLost,
            minForgetGate: Math.min(...gates),
            shareOfGatesWithin1OverT: gates.filter((f) => 1 - f <= 1 / T).length / gates.length,
          },
          [measuredByDistance('‖∂L/∂c_t‖', cell), measuredByDistance('‖∂L/∂h_t‖', hidden, false), measuredByDistance('‖∂L/∂x_t‖', input, false)],
          [cell],
        ),
        inPremise: gatesOpen(gates, T),
      };
    });
  },
};

/** "Stable": the earliest step keeps at least a thousandth of the last step's gradient, the project's one rule for "negligible" (as the training claims' 10⁻³). */
const STABLE_DECADES = DROP_IN_STABLE_DECADES;
/** The document's code is PyTorch's (nn.LSTM, nn.GRU at their defaults): tfjs's defaults are another framework's choice, probed beyond it. */
const PYTORCH_PREMISE = {
  text: "the document's code: nn.LSTM / nn.GRU at PyTorch's default initialisation",
  of: (c: ModelConfig): boolean => c.recurrentInit.kind === 'pytorchDefault',
};

export const VG_LSTM_DROPIN: Claim<ModelDomain> = {
  id: 'VG-LSTM-DROPIN',
  section: SECTION,
  source: SOURCE,
  kind: 'recommendation',
  statement: 'Swapping the vanilla RNN for an LSTM at its default settings gives stable gradient flow.',
  predicate:
    `At the framework's default initialisation, ‖∂L/∂s_t‖ (float32 on the kernel engine; the float64 ` +
    `oracle where float32 underflows, its record names the source) loses at most ${STABLE_DECADES} ` +
    `decades over T = 50 steps.`,
  keyNumber: { name: 'decadesLost', unit: 'decades' },
  boundary:
    "PyTorch's defaults (forget bias ~ U(±1/√H), f ≈ 0.5) do not open the forget gate enough and lose " +
    "{{pytorch-defaults|decadesLost}} decades. Beyond the premise, tfjs's defaults (unit forget bias, " +
    'hard-sigmoid gates) lose {{tfjs-defaults|decadesLost}}; a forget bias that opens every gate carries ' +
    'it (VG-LSTM-HIGHWAY).',
  premise: PYTORCH_PREMISE,
  regions: [
    {
      id: 'pytorch-defaults',
      description: 'nn.LSTM defaults, H = D 16–64, T 50',
      domain: lstmDomain(PYTORCH_GATED_DEFAULTS),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'tfjs-defaults',
      description: "tf.layers.lstm defaults (orthogonal, Glorot, unit forget bias, hard sigmoid), H = D 16–64, T 50 (another framework's defaults)",
      domain: lstmDomain(TFJS_GATED_DEFAULTS),
      role: 'boundary',
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: 'LSTM at default initialisation', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂s_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileOf(e);
      const { holds, numbers } = dropInRuling(m.values);
      return judge(holds, numbers, [measuredByDistance('LSTM', m)], [m]);
    });
  },
};

export const VG_GRU_SIMILAR: Claim<ModelDomain> = {
  id: 'VG-GRU-SIMILAR',
  section: SECTION,
  source: SOURCE,
  kind: 'recommendation',
  statement: "A GRU gives gradient benefits similar to an LSTM's.",
  predicate:
    "At the same framework defaults, sizes and seed, the GRU loses at most 1.5 times the LSTM's decades " +
    'per step (float32 on the kernel engine, the float64 oracle where float32 underflows; "similar" read ' +
    'as within a factor 1.5, a stated tolerance the document does not give) and fewer than the vanilla ' +
    "tanh cell at PyTorch's default (it does give a benefit).",
  keyNumber: { name: 'gruDecadesPerStep', unit: 'decades' },
  boundary:
    "At PyTorch's defaults the two gated cells decay alike ({{pytorch-defaults|gruDecadesPerStep}} and " +
    '{{pytorch-defaults|lstmDecadesPerStep}} decades per step); in {{pytorch-defaults|fails}} of ' +
    '{{pytorch-defaults|cases}} cases the GRU decays faster than the vanilla cell (one is the known case ' +
    "H = 17, seed 6, checked in every run). Beyond the premise, at tfjs's defaults the LSTM's unit forget " +
    "bias has no GRU counterpart, and the GRU loses well over 1.5 times the LSTM's rate.",
  premise: PYTORCH_PREMISE,
  regions: [
    {
      id: 'pytorch-defaults',
      description: 'PyTorch defaults, H = D 16–64, T 50',
      domain: lstmDomain(PYTORCH_GATED_DEFAULTS),
      // A counterexample seed 3's sample found (the GRU loses 0.224 decades per step, the vanilla cell 0.213): checked in every run,
      // so every seed's verdict accounts for it; 2400 seeded cases on other seeds found no other.
      examples: [makeConfig({ ...DEMO_CONFIG, ...PYTORCH_GATED_DEFAULTS, architecture: 'lstm', hiddenSize: 17, inputSize: 17, seed: 6 })],
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'tfjs-defaults',
      description:
        "tfjs's default initialisers and hard-sigmoid gates (on the reset-after GRU cell, as PyTorch's), H = D 16–64, T 50 (another framework's defaults)",
      domain: lstmDomain(TFJS_GATED_DEFAULTS),
      role: 'boundary',
      expected: 'refuted',
      runs: 25,
    },
  ],
  async evaluate(configs, { cache }) {
    const ev = await evidenceOfVariants(
      configs,
      [
        (c) => c,
        (c) => ({ ...c, architecture: 'gru' }),
        (c) => ({
          ...c,
          architecture: 'rnn',
          activation: 'tanh',
          recurrentInit: { kind: 'pytorchDefault' },
          inputInit: { kind: 'pytorchDefault' },
          biasInit: { kind: 'pytorchDefault' },
        }),
      ],
      { cache },
    );
    return ev.map(([l, g, v]) => {
      const profiles = [l, g, v].map(profileOf);
      const [rl, rg, rv] = profiles.map((m) => decadesPerStep(m.values));
      return judge(rg <= 1.5 * rl && rg < rv, { gruDecadesPerStep: rg, lstmDecadesPerStep: rl, vanillaDecadesPerStep: rv }, undefined, profiles);
    });
  },
};

/** Whether neither vanilla RNN of the plan learned this task at this lag with this seed (its runs are trained with every model of the lag). */
async function vanillaFails(
  s: { readonly task: 'adding' | 'recall'; readonly lags: readonly number[]; readonly seed: number },
  plan: Parameters<typeof trainingRun>[4],
): Promise<boolean> {
  const runs = await Promise.all(VANILLA.map((model) => trainingRun(s.task, model, s.lags[0], s.seed, plan)));
  return runs.every((cell) => !cell.run.learned);
}

export const VG_GATED_LEARNS: TrainingClaim = trainingClaim(
  {
    id: 'VG-GATED-LEARNS',
    section: SECTION,
    kind: 'empirical',
    statement: 'LSTM and GRU learn the long-range dependencies that a vanilla RNN fails to learn.',
    predicate: `The trained gated model has learned the task (${LEARNED}).`,
    keyNumber: { name: 'solvedAt', unit: 'updates' },
    premise: {
      text:
        'a dependency the vanilla RNN fails to learn: neither vanilla RNN of the plan (the demo ' +
        'initialisation, orthogonal W_hh) learned this task at this lag with this seed',
    },
    reading:
      '"The long-range dependencies that a vanilla RNN fails to learn" read from the vanilla RNNs\' own ' +
      'runs at the same task, lag and seed: where either vanilla RNN learns, the dependency is outside the premise.',
    boundary: [
      'Decided only where the vanilla RNN fails: the adding problem at lag 50, where neither vanilla initialisation learns in any seed within 8000 updates.',
      'There the LSTM with forget bias 1 and the GRU learn in every seed (median ' +
        '{{adding/lstm-fb1/lag-50|solvedAt|median}} and {{adding/gru/lag-50|solvedAt|median}} updates), and ' +
        'the LSTM with forget bias 0 too, but not every seed by 4000 updates (budget-limited).',
      'Everywhere else in the plan the orthogonal vanilla RNN learns the task in the same seed, so those ' +
        'runs are beyond the premise: there the gated models learn recall up to lag 10 (forget bias 0) or 20 ' +
        '(forget bias 1, GRU) and the adding problem at lags 10 and 20, and none learns recall at lag 50 or ' +
        '100 within 8000 updates.',
      "That is not the literature's failure to reproduce: on the adding problem both LSTMs learn lag 50, as " +
        'Hochreiter & Schmidhuber (1997) and Le et al. (2015) report. Recall here is pure memorisation of one ' +
        'symbol among distractors of the same size, a copy-like task on which orthogonal and unitary RNNs are ' +
        "known to beat LSTMs (Arjovsky et al. 2016; Henaff et al. 2016); and at PyTorch's initialisation the " +
        'forget gate starts near σ(b_f) = 0.5 (bias 0) or 0.73 (bias 1), so the cell keeps that fraction per ' +
        'step until training raises it. The chrono initialisation of Tallec & Ollivier (2018) removes that: ' +
        'the same LSTM with b_f = log U(1, T−1) learns recall at lag 50 (scripts/gated-check.ts).',
    ].join(' '),
    models: GATED,
    scope: 'lag',
    plot: LOSS_PLOT,
    expected: {
      recall: {
        'lstm-fb0': { 5: beyond('holds'), 10: beyond('holds'), 20: beyond('refuted'), 50: beyond('refuted'), 100: beyond('refuted') },
        'lstm-fb1': { 5: beyond('holds'), 10: beyond('holds'), 20: beyond('holds'), 50: beyond('refuted'), 100: beyond('refuted') },
        gru: { 5: beyond('holds'), 10: beyond('holds'), 20: beyond('holds'), 50: beyond('refuted'), 100: beyond('refuted') },
      },
      adding: {
        'lstm-fb0': { 10: beyond('holds'), 20: beyond('holds'), 50: 'budget-limited' },
        'lstm-fb1': { 10: beyond('holds'), 20: beyond('holds'), 50: 'holds' },
        gru: { 10: beyond('holds'), 20: beyond('holds'), 50: 'holds' },
      },
    },
    evaluate: (plan) => (s) => perRun(plan, s, (run) => run.learned, { premise: (_run, subject) => vanillaFails(subject, plan) }),
  },
  SOURCE,
);
