import * as tf from '@tensorflow/tfjs';
import { spectralNormByPowerIteration } from '../../linalg/lanczos.js';
import { log10NormsOfPowers } from '../../linalg/powers.js';
import { oracleEvidence, oracleSeries } from '../evidence.js';
import { SOURCE_LABEL } from '../../engine/measured.js';
import { judge, seriesByDistance } from '../judge.js';
import { gammaCommonRuling } from '../profile-rules.js';
import { gaussianMatrix } from '../matrices.js';
import { type Claim, type MatrixDomain, type ModelDomain, type RealDomain, UNCONDITIONAL } from '../../engine/types.js';
import { createParams } from '../../models/params.js';
import { recurrentMatrix, spectrum } from '../../probes/spectra.js';
import { NEGLIGIBLE_DECADES } from '../rules.js';
import { sourceOf } from '../source.js';

const SECTION = 'Why γ < 1 Is the Common Case' as const;
const SOURCE = sourceOf(import.meta.url);

/** tfjs's float32 derivative of tanh at each x, one autodiff pass for the batch. */
async function tfTanhSlopes(xs: readonly number[]): Promise<Float32Array> {
  const g = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.tanh(x)))(tf.tensor1d(xs as number[], 'float32')));
  const data = (await g.data()) as Float32Array;
  g.dispose();
  return data;
}
const exactSlope = (x: number): number => 1 / Math.cosh(x) ** 2;
/**
 * float32 computes the slope as 1 − tanh²(x), which cancels: its absolute error is about 2⁻²⁴, a relative error of
 * 2⁻²⁴/sech²(x) that reaches a factor of about 3 (0.5 decades) where sech² nears a float32 spacing. An exact zero
 * where the true slope is positive is infinitely many decades off, so this tolerance cannot hide it.
 */
const DECADES = 0.5;
/**
 * Where float32 can carry the slope as 1 − tanh²(x): the subtraction's absolute error is about
 * 2⁻²⁴, so below sech²(x) = 2⁻²³ (|x| ≳ 8.7) rounding alone decides the result (tanh rounds to 1
 * at |x| ≈ 9.01, and the slope to exactly 0). The identity is exact; beyond here float32 is tested.
 */
const FLOAT32_RESOLVES_SLOPE = 2 ** -23;

export const VG_TANH_DERIV: Claim<RealDomain> = {
  id: 'VG-TANH-DERIV',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'The derivative of tanh is one minus tanh squared.',
  predicate:
    `tfjs's float32 autodiff of tanh at x agrees with the float64 value of 1 − tanh²(x) = sech²(x) within ` +
    `${DECADES} decades (log space, so a vanishing slope cannot pass as 0).`,
  keyNumber: { name: 'tfjsSlope', unit: '' },
  boundary:
    'Beyond the premise float32 is tested, not the identity: tanh(x) rounds to exactly 1 for |x| above ' +
    'about 9.01, so tfjs returns a slope of exactly 0 (which is 1 − tanh² in float32) where the true ' +
    'slope is still {{float32-tails|exactSlope}}.',
  premise: {
    text: 'float32 can carry the slope as 1 − tanh²(x): sech²(x) ≥ 2⁻²³ (|x| ≲ 8.7), above the rounding of the subtraction',
    of: (x) => exactSlope(x) >= FLOAT32_RESOLVES_SLOPE,
  },
  regions: [
    { id: 'float32-resolvable', description: '|x| ≤ 8', domain: { kind: 'real', min: -8, max: 8 }, role: 'premise', expected: 'holds', runs: 200 },
    {
      id: 'float32-tails',
      description: "9.1 ≤ x ≤ 40 (tanh(x) = 1 in float32): float32's limit, beyond the premise",
      domain: { kind: 'real', min: 9.1, max: 40 },
      role: 'boundary',
      examples: [9.1],
      expected: 'refuted',
      runs: 100,
    },
  ],
  async evaluate(xs) {
    const slopes = await tfTanhSlopes(xs);
    return xs.map((x, i) => {
      const exact = exactSlope(x);
      const measured = slopes[i];
      const diff = measured > 0 ? Math.abs(Math.log10(measured) - Math.log10(exact)) : null;
      return judge(diff !== null && diff <= DECADES, { x, tfjsSlope: measured, exactSlope: exact, log10Difference: diff ?? 'tfjs slope is exactly 0' });
    });
  },
};

export const VG_TANH_MAX: Claim<RealDomain> = {
  id: 'VG-TANH-MAX',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'The derivative of tanh reaches its maximum, 1, only at zero.',
  predicate: 'sech²(x) ≤ 1 = sech²(0) in float64, with sech²(x) < 1 for |x| ≥ 1e-7 (below that float64 rounds it to 1).',
  keyNumber: { name: 'slope', unit: '' },
  premise: { text: UNCONDITIONAL },
  regions: [{ id: 'reals', description: '−50 ≤ x ≤ 50', domain: { kind: 'real', min: -50, max: 50 }, role: 'premise', expected: 'holds', runs: 300 }],
  async evaluate(xs) {
    return xs.map((x) => {
      const s = exactSlope(x);
      return judge(s <= 1 && (Math.abs(x) < 1e-7 || s < 1) && exactSlope(0) === 1, { x, slope: s });
    });
  },
};

export const VG_TANH_TAILS: Claim<RealDomain> = {
  id: 'VG-TANH-TAILS',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'The derivative of tanh goes to zero as |x| grows.',
  predicate: 'For x > 0 in float64: sech² is strictly decreasing (sech²(1.01x) < sech²(x)) and below 4·e^(−2x), which goes to 0.',
  keyNumber: { name: 'slope', unit: '' },
  premise: { text: UNCONDITIONAL },
  regions: [
    { id: 'positive-reals', description: '0.01 ≤ x ≤ 300', domain: { kind: 'real', min: 0.01, max: 300 }, role: 'premise', expected: 'holds', runs: 300 },
  ],
  async evaluate(xs) {
    return xs.map((x) => {
      const s = exactSlope(x),
        next = exactSlope(1.01 * x),
        envelope = 4 * Math.exp(-2 * x);
      return judge((next < s || s === 0) && s <= envelope * (1 + 1e-12), { x, slope: s, envelope });
    });
  },
};

export const VG_SPECNORM_POWER: Claim<MatrixDomain> = {
  id: 'VG-SPECNORM-POWER',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'When the recurrent matrix has spectral norm below 1, its powers go to zero.',
  predicate: 'For W scaled to ‖W‖₂ = s < 1: ‖W^n‖₂ ≤ (1 + 1e-6)·sⁿ for n = 1..200, and ‖W^200‖₂ ≤ s^200 (float64).',
  keyNumber: { name: 'spectralNorm', unit: '' },
  premise: { text: 'the spectral norm is below 1 (the regions sample only such matrices)' },
  regions: [
    {
      id: 'contractions',
      description: 'gaussian W rescaled to spectral norm 0.5–0.99, size 1–16',
      domain: { kind: 'matrix', structure: 'spectralNormBelowOne', size: [1, 16], scale: [0.5, 0.99] },
      role: 'premise',
      expected: 'holds',
      runs: 100,
    },
  ],
  async evaluate(subjects) {
    return subjects.map((subject) => {
      const g = gaussianMatrix({ ...subject, scale: 1 });
      const n0 = spectralNormByPowerIteration(g);
      const w = { ...g, data: g.data.map((v) => (v / n0) * subject.scale) };
      // In the log domain (linalg/powers.ts): ‖W²⁰⁰‖₂ of a contraction can lie below float64's range (10⁻⁴⁰⁰ when ρ = 0.01), which a plain product rounds to 0.
      const log10Norms = log10NormsOfPowers(w, 200);
      const worst = Math.max(...log10Norms.map((y, k) => y - (k + 1) * Math.log10(subject.scale)));
      return judge(worst <= Math.log10(1 + 1e-6), { spectralNorm: subject.scale, log10NormOfPower200: log10Norms[199], maxLog10Excess: worst });
    });
  },
};

/** Vanilla tanh cells at an init, with the demo's sizes or a range. */
const gammaDomain = (extra: Partial<ModelDomain>): ModelDomain => ({
  kind: 'model',
  base: {},
  hiddenSize: [16, 100],
  inputSize: 'hidden',
  seqLength: [50, 50],
  ...extra,
});

export const VG_GAMMA_COMMON: Claim<ModelDomain> = {
  id: 'VG-GAMMA-COMMON',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement:
    'At common initialisations of a tanh RNN, γ (the largest per-step Jacobian norm) is far enough below ' +
    '1 that the γ^(T−t) bound forces the gradient to vanish over the sequence.',
  predicate:
    `γ = max_t ‖diag(tanh′(z_t))·W_hh‖₂ over the 50 steps of a run (float64) gives a bound γ^(T−1) that ` +
    `is at least ${NEGLIGIBLE_DECADES} decades below 1 (the project's "negligible", claims/rules.ts): ` +
    `(T−1)·log10 γ ≤ −${NEGLIGIBLE_DECADES}.`,
  keyNumber: { name: 'boundForcesDecades', unit: 'decades' },
  reading:
    'The document argues that γ < 1 is the common case so that the bound makes gradients vanish. γ < 1 ' +
    'alone says little at finite T: at γ = 0.94 the bound allows only 1.3 decades over 50 steps, and an ' +
    'orthogonal W_hh stored in float32 puts γ a rounding error from 1 on either side. So the claim is ' +
    'read as "γ is small enough that the bound forces vanishing over the run"; whether γ < 1 at all is ' +
    'reported beside it (gammaMinusOne).',
  premise: { text: 'a common initialisation of a tanh RNN (the regions)' },
  boundary:
    'γ is near or above 1 at every common initialisation: the bound forces ' +
    '{{demo-config|boundForcesDecades}} decades at the demo (γ {{demo-config|gamma}}), ' +
    "{{pytorch-default|boundForcesDecades}} at PyTorch's default, {{orthogonal|boundForcesDecades}} with " +
    'orthogonal W_hh (γ − 1 = {{orthogonal|gammaMinusOne}}) and {{glorot|boundForcesDecades}} for Glorot, ' +
    "while the gradient loses {{demo-config|decadesLostOverRun}} decades over the demo's run: it " +
    'vanishes, but the γ bound is far from tight and does not show it.',
  regions: [
    {
      id: 'demo-config',
      description: "the document's demo (H = D = 100, T = 50, U(−0.1, 0.1)), seeds vary",
      domain: gammaDomain({ hiddenSize: [100, 100] }),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'pytorch-default',
      description: "PyTorch's nn.RNN default U(±1/√H), H 16–100",
      domain: gammaDomain({ recurrentInits: [{ kind: 'pytorchDefault' }], inputInits: [{ kind: 'pytorchDefault' }] }),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'orthogonal',
      description: 'orthogonal W_hh (tfjs SimpleRNN default), Glorot W_ih, H 16–100',
      domain: gammaDomain({ recurrentInits: [{ kind: 'orthogonal', gain: 1 }], inputInits: [{ kind: 'glorotUniform' }] }),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'glorot',
      description: 'Glorot-uniform W_hh, H 16–100',
      domain: gammaDomain({ recurrentInits: [{ kind: 'glorotUniform' }], inputInits: [{ kind: 'glorotUniform' }] }),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: 'Per-step Jacobian norms', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂h_t/∂h_{t−1}‖₂' },
  async evaluate(configs, { cache }) {
    // γ, saturation and the chain are float64 quantities: no tfjs pass is needed.
    return oracleEvidence(configs, { cache }).map((e) => {
      const jacobians = oracleSeries([0, ...e.gammas.map(Math.log10)]);
      // γ − 1 as well as γ: an orthogonal W_hh stored in float32 has ‖W‖₂ = 1 ± 6e-8, so γ can sit within 1e-7 of the boundary.
      const { holds, numbers } = gammaCommonRuling(e.gammas);
      return judge(
        holds,
        {
          ...numbers,
          minJacobianNorm: Math.min(...e.gammas),
          meanTanhSlope: e.saturation.meanSlope,
          decadesLostOverRun: e.chain[e.chain.length - 1] - e.chain[0],
        },
        [
          seriesByDistance(`‖∂h_t/∂h_{t−1}‖₂ [${SOURCE_LABEL['oracle-f64']}]`, [null, ...e.gammas.map(Math.log10)]),
          seriesByDistance(
            'γ = 1',
            e.chain.map(() => 0),
            true,
          ),
        ],
        [jacobians],
      );
    });
  },
};

/** Float32 storage moves a unit singular value by at most 2⁻²⁴·‖W‖_F (Weyl; see VG-INIT-ORTHO-SV1), so "below 1" must clear that. */
const storageNoise = (H: number): number => 2 ** -24 * Math.sqrt(H);

export const VG_SPECNORM_COMMON: Claim<ModelDomain> = {
  id: 'VG-SPECNORM-COMMON',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'At common initialisations, the recurrent matrix has spectral norm below 1.',
  predicate:
    '‖W_hh‖₂ (float64 SVD of the float32 weights) < 1 − 2⁻²⁴·√H: below 1 by more than float32 storage can ' +
    'move a singular value (so an orthogonal W_hh, whose norm is 1, does not pass on rounding).',
  keyNumber: { name: 'spectralNorm', unit: '' },
  reading:
    'The document gives ‖W_hh‖ < 1 as one of the two factors that make γ < 1 "the default behavior"; it ' +
    'is read as a claim about the norm at common initialisations.',
  premise: { text: 'a common initialisation (the regions)' },
  boundary:
    "‖W_hh‖₂ is {{demo-config|spectralNorm}} at the demo's H = 100, {{pytorch-default|spectralNorm}} at " +
    "PyTorch's default (below 1 in {{pytorch-default|holds}} of {{pytorch-default|cases}} cases, at the " +
    'smallest sizes), {{glorot|spectralNorm}} for Glorot and 1 for orthogonal W_hh: the recurrent matrix ' +
    'alone does not contract at any common initialisation, though its eigenvalues mostly lie inside the ' +
    'unit circle (VG-EIGEN-TYPICAL).',
  regions: [
    {
      id: 'demo-config',
      description: "the demo's W_hh: U(−0.1, 0.1) at H = 100",
      domain: { kind: 'model', base: { seqLength: 1 }, hiddenSize: [100, 100], inputSize: [1, 1] },
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'pytorch-default',
      description: "PyTorch's default U(±1/√H), H 16–100",
      domain: { kind: 'model', base: { seqLength: 1, recurrentInit: { kind: 'pytorchDefault' } }, hiddenSize: [16, 100], inputSize: [1, 1] },
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'glorot',
      description: 'Glorot uniform, H 16–100',
      domain: { kind: 'model', base: { seqLength: 1, recurrentInit: { kind: 'glorotUniform' } }, hiddenSize: [16, 100], inputSize: [1, 1] },
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'orthogonal',
      description: 'orthogonal (the default recurrent initialiser of tfjs), H 16–100',
      domain: { kind: 'model', base: { seqLength: 1, recurrentInit: { kind: 'orthogonal', gain: 1 } }, hiddenSize: [16, 100], inputSize: [1, 1] },
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
  ],
  async evaluate(configs) {
    return configs.map((config) => {
      const { spectralNorm, spectralRadius } = spectrum(recurrentMatrix(createParams(config)));
      return judge(spectralNorm < 1 - storageNoise(config.hiddenSize), { spectralNorm, spectralRadius, hiddenSize: config.hiddenSize });
    });
  },
};
