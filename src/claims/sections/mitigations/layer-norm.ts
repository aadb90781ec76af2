import { DEMO_CONFIG, type ModelConfig } from '../../../config/types.js';
import { preActivationsOf, saturationStats } from '../../../probes/saturation.js';
import { decadesPerStep, evidenceOfVariants, profileOf } from '../../evidence.js';
import { judge, measuredByDistance } from '../../judge.js';
import { forEachShape } from '../../measure.js';
import { sourceOf } from '../../source.js';
import { type Claim, type ModelDomain, UNCONDITIONAL } from '../../../engine/types.js';
import { preservedDecadesPerStep } from './preserved.js';

/** Mitigations, "Layer Normalization": the document's LayerNormRNNCell. */
const SECTION = 'Mitigations' as const;
const SOURCE = sourceOf(import.meta.url);

const lnDomain = (base: Partial<ModelConfig>, extra: Partial<ModelDomain> = {}): ModelDomain => ({
  kind: 'model',
  base: { ...DEMO_CONFIG, ...base },
  hiddenSize: [16, 100],
  inputSize: 'hidden',
  ...extra,
});
const LN_REGIONS = {
  small: { id: 'demo-scale', description: 'weights U(±0.1) (the demo), H = D 16–100', domain: lnDomain({}) },
  large: {
    id: 'large-weights',
    description: 'W_hh ~ N(0, σ²) with σ 0.3–0.5, H = D 64–100 (σ√H ≥ 2.4: a saturating vanilla cell)',
    domain: lnDomain({}, { recurrentNormal: [0.3, 0.5], hiddenSize: [64, 100] }),
  },
};

/** What the document's code normalises, said once for both claims. */
const LN_READING =
  'The text says layer normalisation normalises the hidden state activations; its code ' +
  '(LayerNormRNNCell) normalises the pre-activation W_xh·x + W_hh·h before tanh. The project tests the code.';
/** "Where tanh′ is large": at least half its maximum of 1. (A unit-variance normal pre-activation, what the normalisation aims at, gives E[tanh′] ≈ 0.61.) */
const LARGE_SLOPE = 0.5;
/** The decay per step a preserved gradient may show at T = 50 (preserved.ts): above it, the plain cell's gradient decays. */
const DECAYS_PER_STEP = preservedDecadesPerStep(DEMO_CONFIG.seqLength);

export const VG_LN_SLOPE: Claim<ModelDomain> = {
  id: 'VG-LN-SLOPE',
  section: SECTION,
  source: SOURCE,
  kind: 'code',
  statement: 'The LayerNormRNNCell keeps pre-activations where tanh′ is large, preventing saturation.',
  predicate:
    `The mean tanh′ of the LayerNormRNNCell's normalised pre-activations (tfjs forward pass) over all ` +
    `units and steps is at least ${LARGE_SLOPE}: at least half of tanh′'s maximum, whatever the weight ` +
    `scale. The vanilla cell's, at the same weights and inputs, is reported beside it.`,
  keyNumber: { name: 'layerNormMeanSlope', unit: '' },
  reading:
    `${LN_READING} "Prevents saturation" is absolute, so the cell is judged on its own slope ("large": at ` +
    `least half of the maximum), not against the plain cell's.`,
  premise: { text: UNCONDITIONAL },
  boundary:
    "Normalising fixes the pre-activations' spread at 1 (gain 1), so the mean tanh′ is " +
    "{{demo-scale|layerNormMeanSlope}} at the demo's scale and {{large-weights|layerNormMeanSlope}} with " +
    'large weights: it keeps the slope large where the vanilla cell saturates ' +
    "({{large-weights|vanillaMeanSlope}}), and lowers it where the vanilla cell's pre-activations are " +
    "small ({{demo-scale|vanillaMeanSlope}} at the demo's scale).",
  regions: [
    { ...LN_REGIONS.small, role: 'premise', expected: 'holds', runs: 25 },
    { ...LN_REGIONS.large, role: 'premise', expected: 'holds', runs: 25 },
  ],
  async evaluate(configs) {
    const pairs = configs.flatMap((c) => [
      { ...c, architecture: 'rnn' as const },
      { ...c, architecture: 'layernorm' as const },
    ]);
    const slopes = (await forEachShape(pairs, (m) => preActivationsOf(m))).map((z) => saturationStats('tanh', z).meanSlope);
    return configs.map((_, i) => judge(slopes[2 * i + 1] >= LARGE_SLOPE, { layerNormMeanSlope: slopes[2 * i + 1], vanillaMeanSlope: slopes[2 * i] }));
  },
};

export const VG_LN_DECAY: Claim<ModelDomain> = {
  id: 'VG-LN-DECAY',
  section: SECTION,
  source: SOURCE,
  kind: 'recommendation',
  statement: 'Layer normalisation mitigates the decay of the gradient through time.',
  predicate:
    'With the same weights and inputs, the LayerNormRNNCell loses fewer decades per step of ‖∂L/∂h_t‖ ' +
    '(float32 on the kernel engine; the float64 oracle where float32 underflows, its record names the ' +
    'source) than the vanilla cell, and still loses some (it is not exploding).',
  keyNumber: { name: 'layerNormDecadesPerStep', unit: 'decades' },
  reading: LN_READING,
  premise: {
    text:
      `there is decay to mitigate: the vanilla cell at the same weights and inputs loses more than ` +
      `${DECAYS_PER_STEP.toFixed(4)} decades per step (more than a preserved gradient may, ` +
      `mitigations/preserved.ts)`,
  },
  boundary:
    'At the demo scale the layer-norm cell loses {{demo-scale|layerNormDecadesPerStep}} decades per step ' +
    "against the vanilla cell's {{demo-scale|vanillaDecadesPerStep}}. Beyond the premise, with large " +
    'weights the vanilla cell does not decay at all ({{large-weights|vanillaDecadesPerStep}} decades per ' +
    'step: its gradient grows), and the layer-norm cell keeps the gradient roughly flat ' +
    '({{large-weights|layerNormDecadesPerStep}}): there is no decay left to mitigate.',
  regions: [
    { ...LN_REGIONS.small, role: 'premise', expected: 'holds', runs: 25 },
    { ...LN_REGIONS.large, role: 'boundary', expected: 'refuted', runs: 25 },
  ],
  plot: { title: 'Layer-norm cell against vanilla, same weights', xTitle: 'distance from the last step', yTitle: 'log10 ‖∂L/∂h_t‖' },
  async evaluate(configs, { cache }) {
    const ev = await evidenceOfVariants(configs, [(c) => ({ ...c, architecture: 'rnn' }), (c) => ({ ...c, architecture: 'layernorm' })], { cache });
    return ev.map(([v, l]) => {
      const [pv, pl] = [profileOf(v), profileOf(l)];
      const rv = decadesPerStep(pv.values),
        rl = decadesPerStep(pl.values);
      return {
        ...judge(
          rl < rv && rl > 0,
          { layerNormDecadesPerStep: rl, vanillaDecadesPerStep: rv },
          [measuredByDistance('layer norm', pl), measuredByDistance('vanilla', pv)],
          [pl, pv],
        ),
        inPremise: rv > DECAYS_PER_STEP,
      };
    });
  },
};
