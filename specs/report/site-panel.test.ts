import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../../src/backend/resolve.js';
import { measureProfile } from '../../src/cli/profile.js';
import { EXPONENTIAL_R2 } from '../../src/claims/rules.js';
import { VG_BOUND_GAMMA } from '../../src/claims/sections/bounds.js';
import { VG_CORE_EXP_SHRINK } from '../../src/claims/sections/core.js';
import { VG_EIGEN_CAUSE, VG_EIGEN_GROWTH } from '../../src/claims/sections/eigen.js';
import { VG_LSTM_DROPIN } from '../../src/claims/sections/mitigations/gated.js';
import { VG_INIT_ORTHO_GRADIENT } from '../../src/claims/sections/mitigations/initialisation.js';
import { VG_GAMMA_COMMON } from '../../src/claims/sections/why-gamma.js';
import { newEvaluationContext } from '../../src/engine/run-cache.js';
import type { Claim, ModelDomain } from '../../src/engine/types.js';
import { type PanelChoice, DEFAULT_CHOICE, configOf } from '../../src/site/panel/controls.js';
import { panelProfile } from '../../src/site/panel/compute.js';
import { profileSvg } from '../../src/site/panel/plot.js';
import { panelMismatches } from './site-panel-driver.js';

/**
 * The verdict site's live panel computes in the browser with the package's own float64 oracle: its
 * numbers must be `vg profile`'s float64 column (measureProfile), flags included, on every kind of cell.
 */

beforeAll(async () => {
  await resolveBackend();
});

const CASES: ReadonlyArray<readonly [string, Partial<PanelChoice>]> = [
  ['the default (vanilla tanh, PyTorch default, H 32, T 50)', {}],
  ['an LSTM with chrono forget bias', { cell: 'lstm-chrono', hiddenSize: 12, seqLength: 60 }],
  ['an LSTM with forget bias 0, orthogonal W_hh', { cell: 'lstm-zero', init: 'orthogonal', hiddenSize: 8, seqLength: 40 }],
  ['a GRU', { cell: 'gru', hiddenSize: 16, seqLength: 50 }],
  ['the layer-norm cell', { cell: 'layernorm', init: 'normal', initScale: 0.5, hiddenSize: 10, seqLength: 30 }],
  ['the residual cell', { cell: 'residual', init: 'glorotUniform', hiddenSize: 10, seqLength: 30 }],
  ['a long ReLU run whose float64 state overflows', { cell: 'rnn-relu', init: 'normal', initScale: 3, hiddenSize: 16, seqLength: 300 }],
  ['a ReLU IRNN (identity W_hh)', { cell: 'rnn-relu', init: 'identity', initScale: 1, hiddenSize: 8, seqLength: 80 }],
];

describe('site panel: computation', () => {
  for (const [what, choice] of CASES) {
    it(`should equal vg profile's float64 column within 1e-4 decades, flags equal, for ${what}`, async () => {
      const config = configOf({ ...DEFAULT_CHOICE, ...choice });
      const panel = panelProfile(config);
      const measured = await measureProfile(panel.config);
      const rows = panel.distances.map((d) => ({ distance: d, log10: panel.log10[d], flag: panel.flags[d], bound: panel.bound[d] }));
      const mismatches = panelMismatches({ state: 'ready', revision: 1, config: panel.config, rows, rulings: [] }, measured.float64);
      expect(mismatches, `panel against measureProfile for ${JSON.stringify(panel.config)}`).toEqual([]);
      // Never an unflagged non-number, in the values or the bound.
      const bad = [...panel.log10, ...panel.bound].filter((v) => v !== null && !Number.isFinite(v));
      expect(bad, `non-finite values for ${JSON.stringify(panel.config)}`).toEqual([]);
      expect(profileSvg(panel), 'the plot draws no non-number').not.toMatch(/NaN|Infinity/);
    });
  }

  it('should flag the overflowing ReLU run and read no claim on it', () => {
    const panel = panelProfile(configOf({ ...DEFAULT_CHOICE, cell: 'rnn-relu', init: 'normal', initScale: 3, hiddenSize: 16, seqLength: 300 }));
    expect(panel.firstOverflow, 'float64 overflow expected at σ = 3, T = 300').not.toBeNull();
    expect(panel.flags.filter((f) => f === 'overflow').length, 'every step but the seed flagged after a forward overflow').toBe(299);
    expect(
      panel.bound.every((b) => b === null),
      'no bound without γ',
    ).toBe(true);
    expect(
      panel.rulings.every((r) => r.status === 'not read'),
      JSON.stringify(panel.rulings),
    ).toBe(true);
  });

  it('should rule VG-CORE-EXP-SHRINK and VG-BOUND-GAMMA as the claims do on the default vanilla tanh RNN', () => {
    const panel = panelProfile(configOf(DEFAULT_CHOICE));
    const shrink = panel.rulings.find((r) => r.claim === 'VG-CORE-EXP-SHRINK');
    const bound = panel.rulings.find((r) => r.claim === 'VG-BOUND-GAMMA');
    expect(shrink?.status, `VG-CORE-EXP-SHRINK: ${shrink?.summary}`).toBe('holds');
    expect(Number(shrink?.numbers.r2), `VG-CORE-EXP-SHRINK r2 against ${EXPONENTIAL_R2}`).toBeGreaterThanOrEqual(EXPONENTIAL_R2);
    expect(bound?.status, `VG-BOUND-GAMMA: ${bound?.summary}`).toBe('holds');
    expect(panel.bound[0], 'the bound is anchored at the last step').toBe(panel.log10[0]);
  });

  /** The claims the panel rules, by id; each evaluated by its own evaluate (float32 on the kernel engine) to compare verdicts. */
  const CLAIMS: ReadonlyArray<Claim<ModelDomain>> = [
    VG_CORE_EXP_SHRINK,
    VG_BOUND_GAMMA,
    VG_GAMMA_COMMON,
    VG_EIGEN_CAUSE,
    VG_EIGEN_GROWTH,
    VG_INIT_ORTHO_GRADIENT,
    VG_LSTM_DROPIN,
  ];
  const AGREEMENT: ReadonlyArray<readonly [string, Partial<PanelChoice>]> = [
    ['the default vanilla tanh RNN', {}],
    ['a tanh RNN with W_hh ~ N(0, 0.4²), H 64 (ρ > 1)', { init: 'normal', initScale: 0.4, hiddenSize: 64 }],
    ['a tanh RNN with orthogonal W_hh', { init: 'orthogonal', initScale: 1 }],
    ["an LSTM at PyTorch's default", { cell: 'lstm-init', hiddenSize: 16 }],
    ['a GRU', { cell: 'gru', hiddenSize: 16 }],
  ];
  for (const [what, choice] of AGREEMENT) {
    it(`should rule as each claim's own evaluate does (float32, kernel engine) for ${what}`, async () => {
      const panel = panelProfile(configOf({ ...DEFAULT_CHOICE, ...choice }));
      expect(
        panel.rulings.map((r) => r.claim),
        'the claims the panel rules',
      ).toEqual(CLAIMS.map((c) => c.id));
      for (const claim of CLAIMS) {
        const [evaluation] = await claim.evaluate([panel.config], newEvaluationContext());
        const ruling = panel.rulings.find((r) => r.claim === claim.id)!;
        const expected = evaluation.holds === null ? 'not read' : evaluation.holds ? 'holds' : 'fails';
        expect(ruling.status, `${claim.id} on ${JSON.stringify(panel.config)}: panel ${ruling.summary}; claim ${JSON.stringify(evaluation.numbers)}`).toBe(
          expected,
        );
      }
    });
  }

  it("should refuse an invalid configuration with the validator's error", () => {
    expect(() => panelProfile({ ...configOf(DEFAULT_CHOICE), seqLength: 1 })).toThrow(/seqLength/);
    expect(() => panelProfile({ ...configOf(DEFAULT_CHOICE), recurrentInit: { kind: 'normal', std: -1 } })).toThrow(/recurrentInit.std/);
  });
});
