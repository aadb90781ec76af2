import { DEMO_CONFIG, type ModelConfig } from '../../config/types.js';
import { paramGradStats } from '../../probes/param-grads.js';
import { finalStateSensitivity } from '../../probes/sensitivity.js';
import { temporalProfile } from '../../probes/gradient-profile.js';
import { judge, seriesByDistance } from '../judge.js';
import { forEachShape } from '../measure.js';
import type { Claim, ModelDomain } from '../types.js';

const SECTION = 'Diagnosis' as const;
/** The document's detector threshold on ‖∂L/∂W_hh‖. */
export const DETECTOR_THRESHOLD = 1e-7;
/** The temporal profile calls a run vanishing when the first step's gradient is this many decades below the last's. */
export const VANISHING_DECADES = 6;

const vanishingDomain = (extra: Partial<ModelDomain> = {}): ModelDomain => ({ kind: 'model', base: DEMO_CONFIG, hiddenSize: [32, 100], inputSize: 'hidden', recurrentUniform: [0.05, 0.1], ...extra });

/** Gradient statistics and the temporal profile of every configuration, batched by shape. */
async function detectorEvidence(configs: readonly ModelConfig[]) {
  return forEachShape(configs, async (model) => {
    const [stats, profile] = [await paramGradStats(model), await temporalProfile(model)];
    return stats.map((s, c) => {
      const ys = profile.gradState[c].log10;
      const first = ys[0], last = ys[ys.length - 1];
      const lost = first === null || last === null ? Infinity : last - first;
      return { stats: s, profile: ys, lost };
    });
  });
}

export const VG_DIAG_DETECTOR: Claim<ModelDomain> = {
  id: 'VG-DIAG-DETECTOR',
  section: SECTION,
  kind: 'code',
  statement: "The detector's test (recurrent-weight gradient norm below 1e-7) flags runs whose gradients vanish through time.",
  predicate: `On every run whose temporal profile loses at least ${VANISHING_DECADES} decades between the last and the first step, ‖∂L/∂W_hh‖ < ${DETECTOR_THRESHOLD} (L = Σh_{T−1}, tfjs).`,
  boundary: "∂L/∂W_hh sums every step's contribution, and the late steps' are of order 1, so its norm stays far above 1e-7 however much the early steps vanish: the test measures the total, not its distribution over time.",
  regions: [{ id: 'vanishing-runs', description: 'vanilla tanh at the demo scale, U(±a) with a 0.05–0.1, H = D 32–100, T 50', domain: vanishingDomain(), expected: 'refuted', runs: 25 }],
  plot: { title: 'Temporal profile of a run the detector passes', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs) {
    return (await detectorEvidence(configs)).map((e) => {
      const vanishing = e.lost >= VANISHING_DECADES;
      const fires = e.stats.weight_hh.norm < DETECTOR_THRESHOLD;
      return judge(!vanishing || fires, { decadesLost: Number.isFinite(e.lost) ? e.lost : 'underflow (beyond float32)', weightHhGradNorm: e.stats.weight_hh.norm, fires, vanishing }, [seriesByDistance('‖∂L/∂h_t‖ (tfjs)', e.profile)]);
    });
  },
};

export const VG_DIAG_HH_VS_IH: Claim<ModelDomain> = {
  id: 'VG-DIAG-HH-VS-IH',
  section: SECTION,
  kind: 'empirical',
  statement: 'A symptom of vanishing gradients is that the recurrent weights\' gradient norm is orders of magnitude below the input weights\'.',
  predicate: `On runs that lose at least ${VANISHING_DECADES} decades through time, ‖∂L/∂W_hh‖ ≤ 0.1·‖∂L/∂W_ih‖ (at least one order of magnitude).`,
  regions: [{ id: 'vanishing-runs', description: 'vanilla tanh at the demo scale, U(±a) with a 0.05–0.1, H = D 32–100, T 50', domain: vanishingDomain(), expected: 'refuted', runs: 25 }],
  async evaluate(configs) {
    return (await detectorEvidence(configs)).map((e) => {
      const ratio = e.stats.weight_hh.norm / e.stats.weight_ih.norm;
      return judge(e.lost < VANISHING_DECADES || ratio <= 0.1, { hhOverIh: ratio, decadesLost: Number.isFinite(e.lost) ? e.lost : 'underflow (beyond float32)', weightHhGradNorm: e.stats.weight_hh.norm, weightIhGradNorm: e.stats.weight_ih.norm });
    });
  },
};

const COLLAPSE_DECADES = 3;

export const VG_DIAG_COLLAPSE: Claim<ModelDomain> = {
  id: 'VG-DIAG-COLLAPSE',
  section: SECTION,
  kind: 'empirical',
  statement: 'When gradients vanish, the final hidden state barely depends on the early inputs.',
  predicate: `‖∂h_{T−1}/∂x_0‖_F is at least ${COLLAPSE_DECADES} decades below ‖∂h_{T−1}/∂x_{T−1}‖_F (tfjs, one batched pass).`,
  regions: [
    { id: 'demo-scale', description: 'vanilla tanh at the demo scale, U(±a) with a 0.05–0.1, H = D 32–100, T 50', domain: vanishingDomain(), expected: 'holds', runs: 25 },
    { id: 'orthogonal-linear', description: 'linear cell with orthogonal W_hh (no vanishing), H = D 16–64', domain: vanishingDomain({ base: { ...DEMO_CONFIG, activation: 'linear', recurrentInit: { kind: 'orthogonal', gain: 1 }, inputInit: { kind: 'glorotUniform' }, biasInit: { kind: 'zeros' } }, recurrentUniform: undefined, hiddenSize: [16, 64] }), expected: 'refuted', runs: 25 },
  ],
  plot: { title: 'Sensitivity of the final state to each input', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂h_{T−1}/∂x_t‖_F' },
  async evaluate(configs) {
    const sens = await forEachShape(configs, (model) => finalStateSensitivity(model));
    return sens.map((s) => {
      const first = s.log10[0], last = s.log10[s.log10.length - 1];
      const gap = last === null ? -Infinity : first === null ? Infinity : last - first;
      return judge(gap >= COLLAPSE_DECADES, { decadesBelowLastInput: first === null ? 'underflow' : gap }, [seriesByDistance('‖∂h_{T−1}/∂x_t‖ (tfjs)', s.log10)]);
    });
  },
};
