import { spectralNormByPowerIteration } from '../../linalg/lanczos.js';
import { matMul, norm2 } from '../../linalg/matrix.js';
import { gradientEvidence, profileSeries } from '../evidence.js';
import { judge, measuredByDistance, seriesByDistance } from '../judge.js';
import { GAMMA_BOUND_TOL_DECADES, gammaBoundRuling, gammaOf } from '../profile-rules.js';
import { gaussianFactor } from '../matrices.js';
import { type Claim, type MatrixDomain, type ModelDomain, UNCONDITIONAL } from '../../engine/types.js';
import { sourceOf } from '../source.js';

const SECTION = 'Bounding the Gradient Norm' as const;
const SOURCE = sourceOf(import.meta.url);
/** Relative slack for float64 power iteration (run to 1e-9): a thousand times its convergence tolerance, so only a real violation fails. */
const NORM_RTOL = 1e-6;

export const VG_BOUND_SUBMULT: Claim<MatrixDomain> = {
  id: 'VG-BOUND-SUBMULT',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement: 'The spectral norm of a product of Jacobians never exceeds the product of their spectral norms.',
  predicate: `‖A_k·…·A_1‖₂ ≤ (1 + ${NORM_RTOL})·∏‖A_i‖₂ for k = 2 + seed mod 7 gaussian factors (float64, power iteration to 1e-9).`,
  keyNumber: { name: 'log10NormOfProduct', unit: '' },
  premise: { text: UNCONDITIONAL },
  regions: [
    {
      id: 'gaussian-products',
      description: 'products of 2–8 square gaussian matrices, size 1–12, entry scale 0.1–3',
      domain: { kind: 'matrix', structure: 'gaussian', size: [1, 12], scale: [0.1, 3] },
      role: 'premise',
      expected: 'holds',
      runs: 200,
    },
  ],
  async evaluate(subjects) {
    return subjects.map((s) => {
      const k = 2 + (s.seed % 7);
      let product = gaussianFactor(s, 0);
      let log10Bound = Math.log10(spectralNormByPowerIteration(product));
      for (let i = 1; i < k; i++) {
        const f = gaussianFactor(s, i);
        product = matMul(f, product);
        log10Bound += Math.log10(spectralNormByPowerIteration(f));
      }
      const log10Product = norm2(product.data) === 0 ? -Infinity : Math.log10(spectralNormByPowerIteration(product));
      return judge(log10Product <= log10Bound + Math.log10(1 + NORM_RTOL), {
        factors: k,
        log10NormOfProduct: log10Product,
        log10ProductOfNorms: log10Bound,
        slackDecades: log10Bound - log10Product,
      });
    });
  },
};

/** float32 (the kernel engine) against a float64 bound: the same 1e-3 decades as VG-FLOW-PRODUCT, for the same reason (float32 rounding over the chain). */
const TOL_DECADES = GAMMA_BOUND_TOL_DECADES;

/** Domain of models whose state is h alone, with inits from small to large. */
const boundDomain: ModelDomain = {
  kind: 'model',
  base: { inputInit: { kind: 'pytorchDefault' } },
  architectures: ['rnn', 'residual', 'layernorm', 'lstm', 'gru'],
  activations: ['tanh', 'relu', 'sigmoid', 'linear'],
  recurrentInits: [
    { kind: 'pytorchDefault' },
    { kind: 'uniform', low: -0.1, high: 0.1 },
    { kind: 'orthogonal', gain: 1 },
    { kind: 'glorotUniform' },
    { kind: 'normal', std: 0.3 },
  ],
  hiddenSize: [2, 48],
  inputSize: [1, 16],
  seqLength: [3, 50],
};

export const VG_BOUND_GAMMA: Claim<ModelDomain> = {
  id: 'VG-BOUND-GAMMA',
  section: SECTION,
  source: SOURCE,
  kind: 'theorem',
  statement:
    'With γ the largest per-step Jacobian norm, the gradient at distance T−t from the end is at most ' +
    'γ^(T−t) times the final gradient, so it decays exponentially when γ < 1.',
  predicate:
    `At every step float32 represents, the float32 log10 ‖∂L/∂s_t‖ (kernel engine) ≤ log10 ‖∂L/∂s_{T−1}‖ ` +
    `+ (T−1−t)·log10 γ + ${TOL_DECADES}, with γ = max_k ‖∂s_k/∂s_{k−1}‖₂ (float64). The slack at the ` +
    `first step measures how tight the bound is.`,
  keyNumber: { name: 'gamma', unit: '' },
  premise: { text: UNCONDITIONAL },
  reading:
    'The bound itself is stated for every γ; "decays exponentially when γ < 1" is what it gives then. The ' +
    'predicate tests the bound on every cell and γ, exploding ones included.',
  regions: [
    {
      id: 'every-cell',
      description: 'all five cells, activations and inits from U(±0.1) to N(0, 0.3²), including exploding ones (γ > 1); H 2–48, T 3–50',
      domain: boundDomain,
      role: 'premise',
      expected: 'holds',
      runs: 40,
    },
  ],
  plot: { title: 'Measured gradient against the γ^(T−t) bound', xTitle: 'distance from the last step (T−1−t)', yTitle: 'log10 ‖∂L/∂s_t‖' },
  async evaluate(configs, { cache }) {
    return (await gradientEvidence(configs, { cache })).map((e) => {
      const { holds, numbers, bound } = gammaBoundRuling(e.profile.log10, gammaOf(e.gammas));
      if (bound === null) return judge(false, numbers);
      return judge(
        holds,
        numbers,
        [measuredByDistance('measured ‖∂L/∂s_t‖', profileSeries(e)), seriesByDistance('bound ‖∂L/∂s_T‖·γ^(T−t)', bound, true)],
        [profileSeries(e)],
      );
    });
  },
};
