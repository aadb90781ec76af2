import { matVec, norm2 } from '../../linalg/matrix.js';
import { createParams } from '../../models/params.js';
import { recurrentMatrix, spectrum } from '../../probes/spectra.js';
import { judge } from '../judge.js';
import { diagonalizable } from '../matrices.js';
import type { Claim, MatrixDomain, ModelDomain } from '../../engine/types.js';
import { sourceOf } from '../source.js';
import { DEMO_CONFIG } from '../../config/types.js';
import { gradientEvidence, profileOf } from '../evidence.js';
import { measuredByDistance } from '../judge.js';
import { EIGEN_CAUSE_DECAYS_PER_STEP, EIGEN_CAUSE_SHARE, eigenCauseRuling, eigenGrowthRuling } from '../profile-rules.js';

const SECTION = 'Eigenvalue Perspective' as const;
const SOURCE = sourceOf(import.meta.url);
const STEPS = 8;
const DECADES = 1e-6;

export const VG_EIGEN_COMPONENTS: Claim<MatrixDomain> = {
  id: 'VG-EIGEN-COMPONENTS',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement:
    'For a diagonalisable recurrent matrix, the component of a vector along an eigenvector scales by |λ| ' +
    'at every multiplication: it decays when |λ| < 1 and grows when |λ| > 1.',
  predicate:
    `For W = V·diag(λ)·V⁻¹ (float64), each eigenvector u_i multiplied n = ${STEPS} times has ` +
    `‖Wⁿu_i‖/‖u_i‖ = |λ_i|ⁿ within ${DECADES} decades: it shrank when |λ_i| < 1 and grew when |λ_i| > 1.`,
  keyNumber: { name: 'maxLog10Error', unit: 'decades' },
  premise: { text: 'W is diagonalisable (the regions sample only such matrices)' },
  regions: [
    {
      id: 'real-spectra',
      description: 'size 1–8, real eigenvalues with |λ| in [0.1·s, s], s 0.5–1.6',
      domain: { kind: 'matrix', structure: 'diagonalizable', size: [1, 8], scale: [0.5, 1.6] },
      role: 'premise',
      expected: 'holds',
      runs: 150,
    },
  ],
  async evaluate(subjects) {
    return subjects.map((s) => {
      const { matrix, eigenvectors, eigenvalues } = diagonalizable(s);
      // One eigenvector at a time: rounding in a mixed vector would swamp the small components.
      let worst = 0,
        directionOk = true;
      eigenvalues.forEach((l, i) => {
        const u = Float64Array.from({ length: s.size }, (_, r) => eigenvectors.data[r * s.size + i]);
        let w: Float64Array = u;
        for (let n = 0; n < STEPS; n++) w = matVec(matrix, w);
        const ratio = norm2(w) / norm2(u);
        worst = Math.max(worst, Math.abs(Math.log10(ratio) - STEPS * Math.log10(Math.abs(l))));
        if (Math.abs(l) < 1 !== ratio < 1) directionOk = false;
      });
      return judge(worst <= DECADES && directionOk, {
        size: s.size,
        maxLog10Error: worst,
        largestModulus: Math.max(...eigenvalues.map(Math.abs)),
        smallestModulus: Math.min(...eigenvalues.map(Math.abs)),
      });
    });
  },
};

/** |λ| counts as inside the unit circle below 1 − 1e-6 (orthogonal matrices sit on it up to float32 rounding). */
const INSIDE = 1 - 1e-6;
const typical = (extra: Partial<ModelDomain>): ModelDomain => ({ kind: 'model', base: { seqLength: 1 }, hiddenSize: [16, 100], inputSize: [1, 1], ...extra });

export const VG_EIGEN_TYPICAL: Claim<ModelDomain> = {
  id: 'VG-EIGEN-TYPICAL',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'Under typical random initialisation, most eigenvalues of the recurrent matrix lie strictly inside the unit circle.',
  predicate: `More than half of the eigenvalues of W_hh (float64 QR on the float32 weights) have |λ| < ${INSIDE}.`,
  keyNumber: { name: 'fractionInside', unit: '' },
  boundary:
    "Holds for the small uniform inits of the demo and PyTorch's default, and for Glorot; fails for " +
    "orthogonal W_hh, the default recurrent initialiser of tfjs's SimpleRNN, LSTM and GRU (every |λ| = " +
    '1). Beyond the premise, N(0, σ²) with σ·√H above √2 puts most eigenvalues outside the circle ' +
    '(circular law); no framework initialises W_hh that way by default.',
  premise: {
    text:
      "a typical random initialisation: the document's U(−0.1, 0.1), PyTorch's default, Glorot uniform or " +
      'orthogonal (the defaults frameworks ship); a wide N(0, σ²) is not one',
    of: (c) => c.recurrentInit.kind !== 'normal',
  },
  regions: [
    { id: 'demo-uniform', description: 'U(−0.1, 0.1), H 16–100', domain: typical({}), role: 'premise', expected: 'holds', runs: 25 },
    {
      id: 'pytorch-default',
      description: "PyTorch's default U(±1/√H), H 16–100",
      domain: typical({ recurrentInits: [{ kind: 'pytorchDefault' }] }),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'glorot',
      description: 'Glorot uniform, H 16–100',
      domain: typical({ recurrentInits: [{ kind: 'glorotUniform' }] }),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'tfjs-default-orthogonal',
      description: 'orthogonal (tfjs SimpleRNN/LSTM/GRU recurrentInitializer default), H 16–100',
      domain: typical({ recurrentInits: [{ kind: 'orthogonal', gain: 1 }] }),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'wide-normal',
      description: 'N(0, σ²) with σ 0.2–0.3, H 64–100 (σ√H ≥ 1.6): not a typical initialisation',
      domain: typical({ recurrentNormal: [0.2, 0.3], hiddenSize: [64, 100] }),
      role: 'boundary',
      expected: 'refuted',
      runs: 25,
    },
  ],
  async evaluate(configs) {
    return configs.map((config) => {
      const sp = spectrum(recurrentMatrix(createParams(config)));
      const moduli = sp.eigenvalues.map((z) => Math.hypot(z.re, z.im));
      const inside = moduli.filter((m) => m < INSIDE).length / moduli.length;
      return judge(inside > 0.5, { fractionInside: inside, spectralRadius: sp.spectralRadius, spectralNorm: sp.spectralNorm, hiddenSize: config.hiddenSize });
    });
  },
};

/** Vanilla tanh cells at the demo's T = 50 with input size = hidden size. */
const tanhRnn = (base: ModelDomain['base'], extra: Partial<ModelDomain> = {}): ModelDomain => ({
  kind: 'model',
  base: { ...DEMO_CONFIG, ...base },
  hiddenSize: [16, 100],
  inputSize: 'hidden',
  ...extra,
});
/** "Why": the eigenvalues' own decay, −log10 ρ(W_hh) per step, accounts for at least this share of the measured decay per step (a majority). */
const CAUSE_SHARE = EIGEN_CAUSE_SHARE;
/** The decay a preserved gradient may show per step at T = 50 (mitigations/preserved.ts): above it, the gradient decays. */
const DECAYS_PER_STEP = EIGEN_CAUSE_DECAYS_PER_STEP;

export const VG_EIGEN_CAUSE: Claim<ModelDomain> = {
  id: 'VG-EIGEN-CAUSE',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'In a tanh RNN whose gradient vanishes, the eigenvalues of W_hh inside the unit circle are what destroys the gradient from early steps.',
  predicate:
    `The decay the eigenvalues alone impose, −log10 ρ(W_hh) decades per step (ρ the spectral radius: the ` +
    `slowest a component of Wⁿ can decay), is at least ${CAUSE_SHARE} of the measured decay per step of ` +
    `‖∂L/∂h_t‖ (float32 on the kernel engine; the float64 oracle where float32 underflows), so the ` +
    `eigenvalues account for most of it; tanh′ < 1 accounts for the rest.`,
  keyNumber: { name: 'eigenShareOfDecay', unit: '' },
  reading:
    'The document says gradient information is destroyed "so" (because) most eigenvalues lie inside the ' +
    "unit circle. Read as: the eigenvalues' decay accounts for most (at least half) of the measured decay.",
  boundary:
    "At the demo's scale and at PyTorch's default the eigenvalues account for " +
    '{{demo-uniform|eigenShareOfDecay}} and {{pytorch-default|eigenShareOfDecay}} of the decay. With ' +
    'orthogonal W_hh every |λ| = 1, yet the gradient still loses {{orthogonal|measuredDecadesPerStep}} ' +
    'decades per step, through tanh′ alone: eigenvalues inside the unit circle are one cause, not the cause.',
  premise: {
    text:
      `the gradient decays: it loses more than ${DECAYS_PER_STEP.toFixed(4)} decades per step, what a ` +
      `preserved gradient may lose (mitigations/preserved.ts)`,
  },
  regions: [
    { id: 'demo-uniform', description: 'U(−0.1, 0.1) (the demo), H = D 16–100, T 50', domain: tanhRnn({}), role: 'premise', expected: 'holds', runs: 25 },
    {
      id: 'pytorch-default',
      description: "PyTorch's default U(±1/√H), H = D 16–100, T 50",
      domain: tanhRnn({ recurrentInit: { kind: 'pytorchDefault' }, inputInit: { kind: 'pytorchDefault' } }),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
    {
      id: 'orthogonal',
      description: 'orthogonal W_hh (every |λ| = 1), Glorot W_ih, zero bias, H = D 16–100, T 50',
      domain: tanhRnn({ recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } }),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: "Measured gradient against the eigenvalues' decay", xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileOf(e);
      const rho = spectrum(recurrentMatrix(e.params)).spectralRadius;
      const { holds, numbers, inPremise } = eigenCauseRuling(m.values, rho);
      const eigenDecay = numbers.eigenDecadesPerStep;
      const T = m.values.length;
      const last = m.values[T - 1];
      return {
        ...judge(
          holds,
          numbers,
          [
            measuredByDistance('‖∂L/∂h_t‖', m),
            {
              name: 'ρ(W_hh)^(T−1−t) from the last step',
              points: m.values.map((_, t) => ({ x: T - 1 - t, y: last - (T - 1 - t) * eigenDecay })).reverse(),
              dashed: true,
            },
          ],
          [m],
        ),
        inPremise,
      };
    });
  },
};

export const VG_EIGEN_GROWTH: Claim<ModelDomain> = {
  id: 'VG-EIGEN-GROWTH',
  section: SECTION,
  source: SOURCE,
  kind: 'empirical',
  statement: 'In a tanh RNN, when W_hh has eigenvalues outside the unit circle, the gradient grows through time instead of vanishing.',
  predicate:
    'log10 ‖∂L/∂h_0‖ ≥ log10 ‖∂L/∂h_{T−1}‖ over T = 50 steps (float32 on the kernel engine; the float64 ' +
    'oracle where float32 underflows): the gradient at the first step is no smaller than at the last.',
  keyNumber: { name: 'decadesGained', unit: 'decades' },
  reading:
    'The document states growth for the powers of W_hh (VG-EIGEN-COMPONENTS tests that). Read here for ' +
    'the RNN itself, where tanh′ ≤ 1 also multiplies every step.',
  premise: { text: 'W_hh has an eigenvalue outside the unit circle: ρ(W_hh) > 1 (float64)' },
  boundary:
    'With ρ(W_hh) of {{moderate|spectralRadius}} the gradient grows in only {{moderate|holds}} of ' +
    '{{moderate|cases}} runs and otherwise still vanishes ({{moderate|decadesGained}} decades): tanh′ < 1 ' +
    'outweighs eigenvalues just outside the circle. With ρ of {{large|spectralRadius}} it grows by ' +
    '{{large|decadesGained}} decades over 50 steps.',
  regions: [
    {
      id: 'moderate',
      description: 'tanh, W_hh ~ N(0, σ²) with σ√H 1.2–1.6 (σ 0.12–0.16 at H = 100), T 50',
      domain: tanhRnn({}, { recurrentNormal: [0.12, 0.16], hiddenSize: [100, 100] }),
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'large',
      description: 'tanh, W_hh ~ N(0, σ²) with σ√H 2.4–5 (σ 0.3–0.5, H = D 64–100), T 50',
      domain: tanhRnn({}, { recurrentNormal: [0.3, 0.5], hiddenSize: [64, 100] }),
      role: 'premise',
      expected: 'holds',
      runs: 25,
    },
  ],
  plot: { title: 'Gradient through time with ρ(W_hh) > 1', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const m = profileOf(e);
      const rho = spectrum(recurrentMatrix(e.params)).spectralRadius;
      const { holds, numbers, inPremise } = eigenGrowthRuling(m.values, rho);
      return { ...judge(holds, { ...numbers, meanTanhSlope: e.saturation.meanSlope }, [measuredByDistance('‖∂L/∂h_t‖', m)], [m]), inPremise };
    });
  },
};
