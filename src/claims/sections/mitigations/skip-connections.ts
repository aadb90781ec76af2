import { DEMO_CONFIG } from '../../../config/types.js';
import { demoOf, evidenceOfVariants } from '../../evidence.js';
import { type Judgeable, SOURCE_LABEL } from '../../../engine/measured.js';
import { judge } from '../../judge.js';
import { sourceOf } from '../../source.js';
import { type Claim, type ModelDomain, UNCONDITIONAL } from '../../../engine/types.js';
import { DOCUMENT_INIT } from './initialisation.js';
import { NEGLIGIBLE_DECADES } from '../../rules.js';

/** Mitigations, "Skip Connections": the document's ResidualRNNCell. */
const SECTION = 'Mitigations' as const;
const SOURCE = sourceOf(import.meta.url);

/**
 * "Bypasses the chain": the early input keeps at least a thousand times the gradient the chain alone leaves it, the
 * project's one rule for "negligible" (10⁻³) read the other way.
 */
const BYPASS_DECADES = NEGLIGIBLE_DECADES;

export const VG_SKIP_BYPASS: Claim<ModelDomain> = {
  id: 'VG-SKIP-BYPASS',
  section: SECTION,
  source: SOURCE,
  kind: 'code',
  statement: "The ResidualRNNCell's skip path lets the gradient bypass the chain of W_hh products across time.",
  predicate:
    `With the same weights and inputs, the residual cell's demo gap (log10 ‖∂(Σh_0)/∂x_0‖ − log10 ` +
    `‖∂(Σh_{T−1})/∂x_0‖, tfjs batched; the float64 oracle where float32 underflows) is at least ` +
    `${BYPASS_DECADES} decades smaller than the vanilla cell's.`,
  keyNumber: { name: 'residualGapDecades', unit: 'decades' },
  boundary:
    'The cell adds a projection of the current input x_t to the new state: h_t = tanh(…h_{t−1}…) + P·x_t. ' +
    'The path from h_{t−1} to h_t is still diag(tanh′)·W_hh, so nothing bypasses the recurrence across ' +
    'time; only the step-t input gets a direct path to h_t.',
  premise: { text: UNCONDITIONAL },
  regions: [
    {
      id: 'demo-scale',
      description: 'the demo (U(±0.1), H = D 16–100, T 50)',
      domain: { kind: 'model', base: DEMO_CONFIG, hiddenSize: [16, 100], inputSize: 'hidden' },
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
    {
      id: 'orthogonal',
      description: "the document's initialisation, H = D 16–100, T 50",
      domain: { kind: 'model', base: { ...DEMO_CONFIG, ...DOCUMENT_INIT }, hiddenSize: [16, 100], inputSize: 'hidden' },
      role: 'premise',
      expected: 'refuted',
      runs: 25,
    },
  ],
  plot: { title: 'Residual cell against vanilla, same weights', xTitle: 'distance t from x_0', yTitle: 'log10 ‖∂(Σh_t)/∂x_0‖' },
  async evaluate(configs, { cache }) {
    const ev = await evidenceOfVariants(configs, [(c) => ({ ...c, architecture: 'rnn' }), (c) => ({ ...c, architecture: 'residual' })], { demo: true, cache });
    return ev.map(([v, r]) => {
      const [dr, dv] = [demoOf(r), demoOf(v)];
      const gap = (m: Judgeable): number => m.values[0] - m.values[m.values.length - 1];
      return judge(
        gap(dr) <= gap(dv) - BYPASS_DECADES,
        { residualGapDecades: gap(dr), vanillaGapDecades: gap(dv) },
        [
          { name: `residual (as written) [${SOURCE_LABEL[dr.source]}]`, points: dr.values.map((y, x) => ({ x, y })) },
          { name: `vanilla [${SOURCE_LABEL[dv.source]}]`, points: dv.values.map((y, x) => ({ x, y })) },
        ],
        [dr, dv],
      );
    });
  },
};
